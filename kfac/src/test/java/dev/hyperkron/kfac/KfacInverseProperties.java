package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Closed-form KFAC and EKFAC inverses against dense inverses of the matrices they claim to invert. */
class KfacInverseProperties {


    private static Fixtures.Problem problem(long seed, int which) {
        return switch (which) {
            case 0 -> Fixtures.mlpCrossEntropy(seed, 5, 2);
            case 1 -> Fixtures.cnnCrossEntropy(seed, 3);
            default -> Fixtures.sequenceCrossEntropy(seed, 3, 4);
        };
    }

    private static Params randomVector(Params domain, long seed) {
        return domain.unflatten(Tensor.randn(new Rng(seed), DType.F64, (int) domain.numel()));
    }

    /** Dense G kron A, in the row-major weight layout with the bias column appended (joint bias). */
    private static Tensor kron(Tensor g, Tensor a) {
        int p = g.dim(0);
        int q = a.dim(0);
        return g.reshape(p, 1, p, 1).mul(a.reshape(1, q, 1, q)).reshape(p * q, p * q);
    }

    @Property(tries = 12)
    void exactDampingInvertsTheDenseDampedKfacMatrix(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        for (int which = 0; which < 3; which++) {
            Fixtures.Problem p = problem(seed, which);
            KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
            Params v = randomVector(kfac.domain(), seed);
            Tensor dense = kfac.toDense().add(Tensor.eye(DType.F64, (int) v.numel()).mul(damping));
            Tensor expected = Linalg.solve(dense, v.flatten().reshape((int) v.numel(), 1)).reshape((int) v.numel());
            Params q = KfacInverse.of(kfac, damping, KfacInverse.Damping.EXACT, 0).solve(v).value();
            assertMaxScaledError(expected, q.flatten(), 1e-8);
        }
    }

    @Property(tries = 12)
    void heuristicDampingInvertsTheProductOfDampedFactors(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(seed, 5, 1);
        KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
        Params v = randomVector(kfac.domain(), seed);
        Params q = KfacInverse.of(kfac, damping, KfacInverse.Damping.HEURISTIC, 0).solve(v).value();
        int offset = 0;
        for (KroneckerFactors f : kfac.factors()) {
            double pi = KfacInverse.pi(f.aMatrix(), f.gMatrix());
            Tensor a = f.a().add(Tensor.eye(DType.F64, f.a().dim(0)).mul(pi * Math.sqrt(damping)));
            Tensor g = f.g().add(Tensor.eye(DType.F64, f.g().dim(0)).mul(Math.sqrt(damping) / pi));
            int size = a.dim(0) * g.dim(0);
            Tensor block = kron(g, a);
            // joint-bias layout: weight [out, in] then bias [out]; the Kronecker layout is [out, in + 1]
            Tensor m = f.block().matrix(v).reshape(size, 1);
            Tensor expected = Linalg.solve(block, m).reshape(g.dim(0), a.dim(0));
            Tensor actual = f.block().matrix(q);
            assertMaxScaledError(expected, actual, 1e-8);
            offset += size;
        }
        assertTrue(offset == (int) v.numel());
    }

    @Property(tries = 10)
    void ekfacInverseInvertsTheDenseDampedEkfacMatrix(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        for (int which = 0; which < 3; which++) {
            Fixtures.Problem p = problem(seed, which);
            EkfacOperator ekfac = KfacOperator.builder(p.params()).buildEkfac(p.batches());
            Params v = randomVector(ekfac.domain(), seed);
            Tensor dense = ekfac.toDense().add(Tensor.eye(DType.F64, (int) v.numel()).mul(damping));
            Tensor expected = Linalg.solve(dense, v.flatten().reshape((int) v.numel(), 1)).reshape((int) v.numel());
            assertMaxScaledError(expected, EkfacInverse.of(ekfac, damping).solve(v).value().flatten(), 1e-8);
        }
    }

    @Test
    void ekfacScalingsAreTheMeanSquaredPerExampleGradientsInTheEigenbasis() {
        Fixtures.Problem p = Fixtures.linearMse(4, 1, 3, 2, dev.hyperkron.nn.loss.Reduction.MEAN);
        KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
        EkfacOperator ekfac = KfacOperator.builder(p.params()).buildEkfac(p.batches());
        // With one example, KFAC is exact, so EKFAC (diagonal refit in KFAC's eigenbasis) must equal it.
        assertMaxScaledError(kfac.toDense(), ekfac.toDense(), 1e-10);
    }

    @Test
    void singularFactorWithoutDampingIsAClearError() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(3, 1, 1); // one example: rank-1 factors
        KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacInverse.of(kfac, 0, KfacInverse.Damping.EXACT, 0));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> KfacInverse.of(kfac, 0));
        assertTrue(h.getMessage().contains("singular") && h.getMessage().contains("layer"), h.getMessage());
        KfacInverse floored = KfacInverse.of(kfac, 0, KfacInverse.Damping.HEURISTIC, 1e-3);
        Params q = floored.solve(kfac.domain().unflatten(Tensor.ones(DType.F64, (int) kfac.domain().numel()))).value();
        assertTrue(Double.isFinite(q.norm()));
    }

    @Test
    void numericallyIndefiniteFactorFallsBackToClampedEigenvalues() {
        Tensor factor = Tensor.of(DType.F64, new double[][] {{1, 0}, {0, -1e-9}});
        DampedFactorInverse inv = DampedFactorInverse.of(factor, 0, 1e-3, "test factor");
        assertTrue(inv.clamped());
        assertMaxScaledError(Tensor.of(DType.F64, new double[][] {{1, 0}, {0, 1e3}}), inv.leftMultiply(Tensor.eye(DType.F64, 2)), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DampedFactorInverse.of(factor, 0, 0, "test factor"));
        assertTrue(e.getMessage().startsWith("test factor is singular"), e.getMessage());
    }

    /** A factor is a sum of outer products: below the damping, an eigenvalue of F + d I is rounding, clamped to d. */
    @Test
    void aFactorIndefiniteBeyondItsDampingIsClampedAtTheDamping() {
        Tensor factor = Tensor.of(DType.F64, new double[][] {{4, 0}, {0, -0.5}});
        DampedFactorInverse inv = DampedFactorInverse.of(factor, 0.05, 0, "test factor");
        assertTrue(inv.clamped());
        assertMaxScaledError(Tensor.of(DType.F64, new double[][] {{1 / 4.05, 0}, {0, 1 / 0.05}}),
                inv.leftMultiply(Tensor.eye(DType.F64, 2)), 1e-12);
    }
}
