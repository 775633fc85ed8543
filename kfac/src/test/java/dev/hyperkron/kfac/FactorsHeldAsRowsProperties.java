package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Factors built from fewer examples than their dimension are held as the rows of their outer
 * products; the operator, its inverses and its storage must be what the dense factors give.
 */
class FactorsHeldAsRowsProperties {


    private static KfacOperator kfac(Fixtures.Problem p, boolean mc) {
        return KfacOperator.builder(p.params()).fisherType(mc ? FisherType.MC : FisherType.TYPE2).rng(new Rng(5))
                .build(p.batches());
    }

    /** Dense G kron A in the row-major [out, in + 1] layout of a joint-bias layer. */
    private static Tensor kron(Tensor g, Tensor a) {
        int p = g.dim(0);
        int q = a.dim(0);
        return g.reshape(p, 1, p, 1).mul(a.reshape(1, q, 1, q)).reshape(p * q, p * q);
    }

    private static Params randomVector(Params domain, long seed) {
        return domain.unflatten(Tensor.randn(new Rng(seed), DType.F64, (int) domain.numel()));
    }

    @Test
    void fewExamplesThroughAWideLayerGiveAnInputFactorHeldAsRows() {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(1, 2, 1), true);
        KroneckerFactors first = kfac.factors().get(0);
        assertTrue(first.aMatrix().isRows());
        assertEquals(2 * 13, first.aMatrix().storedElements());
        assertTrue(first.gMatrix().isRows(), "MC: two sampled gradients for a 6 x 6 G");
        assertTrue(!kfac(Fixtures.wideMlpCrossEntropy(1, 2, 1), false).factors().get(0).gMatrix().isRows(),
                "type-2: six Hessian columns for a 6 x 6 G");
        assertTrue(kfac(Fixtures.wideMlpCrossEntropy(1, 3, 2), true).factors().get(0).aMatrix().isRows(),
                "six rows over two batches, at most half of 13, are held as rows");
        assertTrue(!kfac(Fixtures.wideMlpCrossEntropy(1, 7, 1), true).factors().get(0).aMatrix().isRows(),
                "seven rows are more than half of 13: A is dense");
    }

    @Property(tries = 15)
    void inputFactorHeldAsRowsIsTheMeanOuterProductOfAugmentedInputs(@ForAll @IntRange(min = 1, max = 3) int n,
                                                                    @ForAll @IntRange(min = 1, max = 2) int batches,
                                                                    @ForAll long seed) {
        Fixtures.Problem p = Fixtures.wideMlpCrossEntropy(seed, n, batches);
        Tensor a = Tensor.zeros(DType.F64, 13, 13);
        for (LossBatch b : p.batches()) {
            Tensor x = Tensor.concat(1, b.inputs(), Tensor.ones(DType.F64, n, 1));
            a = a.add(x.matmul(x, true, false));
        }
        assertMaxScaledError(a.div(n * batches), kfac(p, false).factors().get(0).a(), 1e-12);
    }

    @Property(tries = 15)
    void operatorWithFactorsHeldAsRowsAppliesTheKroneckerProductOfTheDenseFactors(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 2) int batches,
            @ForAll boolean mc, @ForAll long seed) {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(seed, n, batches), mc);
        Params v = randomVector(kfac.domain(), seed);
        Params kv = kfac.apply(v);
        for (KroneckerFactors f : kfac.factors()) {
            Tensor m = f.block().matrix(v);
            Tensor expected = kron(f.g(), f.a()).matmul(m.reshape(m.size(), 1)).reshape(m.shape());
            assertMaxScaledError(expected, f.block().matrix(kv), 1e-12);
        }
    }

    @Property(tries = 15)
    void exactDampingInvertsTheDenseDampedKfacMatrixDespiteNullSpaces(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 2) int batches,
            @ForAll boolean mc, @ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(seed, n, batches), mc);
        Params v = randomVector(kfac.domain(), seed);
        Tensor dense = kfac.toDense().add(Tensor.eye(DType.F64, (int) v.numel()).mul(damping));
        Tensor expected = Linalg.solve(dense, v.flatten().reshape((int) v.numel(), 1)).reshape((int) v.numel());
        Params q = KfacInverse.of(kfac, damping, KfacInverse.Damping.EXACT, 0).solve(v).value();
        assertMaxScaledError(expected, q.flatten(), 1e-7);
    }

    @Property(tries = 15)
    void heuristicDampingWithFactorsHeldAsRowsInvertsTheProductOfDampedDenseFactors(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll boolean mc, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(seed, n, 1), mc);
        Params v = randomVector(kfac.domain(), seed);
        Params q = KfacInverse.of(kfac, damping, KfacInverse.Damping.HEURISTIC, 0).solve(v).value();
        for (KroneckerFactors f : kfac.factors()) {
            double pi = KfacInverse.pi(f.aMatrix(), f.gMatrix());
            Tensor a = f.a().add(Tensor.eye(DType.F64, f.a().dim(0)).mul(pi * Math.sqrt(damping)));
            Tensor g = f.g().add(Tensor.eye(DType.F64, f.g().dim(0)).mul(Math.sqrt(damping) / pi));
            Tensor m = f.block().matrix(v);
            Tensor expected = Linalg.solve(kron(g, a), m.reshape(m.size(), 1)).reshape(m.shape());
            assertMaxScaledError(expected, f.block().matrix(q), 1e-8);
        }
    }

    @Property(tries = 10)
    void inversesStoreLessThanDenseFactorsWouldForAFactorHeldAsRows(@ForAll long seed) {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(seed, 1, 1), false);
        long dense = 0;
        for (KroneckerFactors f : kfac.factors()) {
            dense += (long) f.a().size() + f.g().size();
        }
        long bytes = DType.F64.byteSize();
        assertTrue(kfac.storedBytes() < dense * bytes);
        assertTrue(KfacInverse.of(kfac, 0.1, KfacInverse.Damping.HEURISTIC, 0).storedBytes() < dense * bytes);
        assertTrue(KfacInverse.of(kfac, 0.1, KfacInverse.Damping.EXACT, 0).storedBytes()
                < (dense + 13 * 6 + 7 * 3) * bytes);
    }

    @Property(tries = 10)
    void ekfacOfAWideLayerEqualsTheRefitInTheFullEigenbasisOfA(@ForAll @IntRange(min = 1, max = 3) int n,
                                                               @ForAll long seed) {
        Fixtures.Problem p = Fixtures.wideMlpCrossEntropy(seed, n, 1);
        LossBatch batch = p.batches().get(0);
        EkfacOperator ekfac = KfacOperator.builder(p.params()).buildEkfac(p.batches());
        KroneckerFactors first = KfacOperator.builder(p.params()).build(p.batches()).factors().get(0);
        assertTrue(first.aMatrix().isRows());
        assertTrue(ekfac.scalings().get(0).dim(1) <= n, "scalings only in the span of the inputs");

        // Definition in full eigenbases: dW_nc = g_nc a_n^T, a_n = [x_n; 1],
        // g_nc = tanh'(pre_n) .* (W2^T S_n[:, c]) back-propagated from the logits' Hessian factor.
        Tensor x = batch.inputs();
        Tensor hidden = x.matmul(p.params().get("0.weight").value(), false, true).add(p.params().get("0.bias").value()).tanh();
        Tensor logits = hidden.matmul(p.params().get("2.weight").value(), false, true).add(p.params().get("2.bias").value());
        Tensor s = new CrossEntropyLoss().hessianFactor(logits);
        Tensor qg = Linalg.eigh(first.g()).eigenvectors();
        Tensor qa = Linalg.eigh(first.a()).eigenvectors();
        Tensor scalings = Tensor.zeros(DType.F64, 6, 13);
        for (int i = 0; i < n; i++) {
            Tensor a = Tensor.concat(0, x.slice(0, i, i + 1).reshape(12), Tensor.ones(DType.F64, 1)).reshape(1, 13);
            Tensor slope = hidden.slice(0, i, i + 1).square().neg().add(1).reshape(6, 1);
            for (int c = 0; c < 3; c++) {
                Tensor g = p.params().get("2.weight").value().matmul(s.slice(0, i, i + 1).slice(2, c, c + 1).reshape(3, 1),
                        true, false).mul(slope);
                scalings = scalings.add(qg.matmul(g.matmul(a), true, false).matmul(qa).square());
            }
        }
        scalings = scalings.div(n);
        Params v = randomVector(ekfac.domain(), seed);
        Tensor m = first.block().matrix(v);
        Tensor expected = qg.matmul(qg.matmul(m, true, false).matmul(qa).mul(scalings)).matmul(qa, false, true);
        assertMaxScaledError(expected, first.block().matrix(ekfac.apply(v)), 1e-10);
    }

    @Property(tries = 10)
    void ekfacInverseWithAPartialInputBasisInvertsTheDenseDampedEkfacMatrix(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 2) int batches, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 1) double damping) {
        EkfacOperator ekfac = KfacOperator.builder(Fixtures.wideMlpCrossEntropy(seed, n, batches).params())
                .buildEkfac(Fixtures.wideMlpCrossEntropy(seed, n, batches).batches());
        Params v = randomVector(ekfac.domain(), seed);
        Tensor dense = ekfac.toDense().add(Tensor.eye(DType.F64, (int) v.numel()).mul(damping));
        Tensor expected = Linalg.solve(dense, v.flatten().reshape((int) v.numel(), 1)).reshape((int) v.numel());
        assertMaxScaledError(expected, EkfacInverse.of(ekfac, damping).solve(v).value().flatten(), 1e-8);
        if (ekfac.layers().get(0).partialBasis()) {
            assertThrows(IllegalArgumentException.class, () -> EkfacInverse.of(ekfac, 0));
        }
    }

    @Test
    void nullSpaceWithoutDampingIsAClearErrorAndAFloorMakesItFinite() {
        KfacOperator kfac = kfac(Fixtures.wideMlpCrossEntropy(2, 2, 1), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacInverse.of(kfac, 0, KfacInverse.Damping.EXACT, 0));
        assertTrue(e.getMessage().contains("singular") && e.getMessage().contains("layer '0'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KfacInverse.of(kfac, 0, KfacInverse.Damping.HEURISTIC, 0));
        for (KfacInverse.Damping d : KfacInverse.Damping.values()) {
            Params q = KfacInverse.of(kfac, 0, d, 1e-3).solve(randomVector(kfac.domain(), 3)).value();
            assertTrue(Double.isFinite(q.norm()), d.name());
        }
        assertEquals(List.of(), kfac.uncoveredParameters());
    }
}
