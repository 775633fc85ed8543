package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * What particular solvers promise beyond the common contract: CG's handling of negative
 * curvature, MINRES's monotone residuals, the Neumann series as the dense truncated sum,
 * observers that see exactly what shorter runs return, and the exact solver's treatment of
 * rounding-level asymmetry (F64, against EJML and dense matrices).
 */
class SolverProperties {

    private static Params vector(Params domain, double... values) {
        return domain.unflatten(Tensor.of(values));
    }

    /** The minimal case of issue 10: plain CG stopped at negative curvature and returned (6.67, 6.67). */
    @Example
    void cgOnAnIndefiniteDiagonalFallsBackToMinresAndSolves() {
        Params domain = Systems.domain(2);
        LinearOperator h = LinearOperator.dense(domain, Tensor.of(new double[] {1, 0, 0, -0.9}, 2, 2));
        IhvpSolver.Solution q = ConjugateGradient.of(h, 0.1, 10, 1e-12).solve(vector(domain, 1, 1));
        assertMaxScaledError(Tensor.of(new double[] {1 / 1.1, -1 / 0.8}), q.value().flatten(), 1e-10);
        assertTrue(q.report().negativeCurvature(), q.report().toString());
        assertEquals("MINRES", q.report().fallback());
        assertTrue(q.report().converged());
    }

    @Example
    void cgWithoutFallbackReturnsItsBestIterateNeverWorseThanZero() {
        Params domain = Systems.domain(2);
        LinearOperator h = LinearOperator.dense(domain, Tensor.of(new double[] {1, 0, 0, -0.9}, 2, 2));
        Params v = vector(domain, 1, 1);
        IhvpSolver.Solution q = ConjugateGradient.of(h, 0.1, 10, 1e-12)
                .fallback(ConjugateGradient.Fallback.BEST_ITERATE).solve(v);
        double residual = v.sub(h.plus(0.1).apply(q.value())).norm();
        assertTrue(residual <= v.norm(), "residual " + residual + " > ||v|| " + v.norm());
        assertFalse(q.report().converged());
        assertTrue(q.report().negativeCurvature());
        assertEquals("", q.report().fallback());
    }

    @Property(tries = 40)
    void cgOnTheNormalEquationsAsFallbackSolvesIndefiniteSystems(@ForAll @IntRange(min = 2, max = 12) int n,
                                                                  @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Systems.indefinite(rng, n);
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        IhvpSolver.Solution q = ConjugateGradient.of(LinearOperator.dense(domain, m), 0, 6 * n, 1e-14)
                .fallback(ConjugateGradient.Fallback.NORMAL_EQUATIONS).solve(v);
        assertMaxScaledError(Systems.solve(m, v.flatten()), q.value().flatten(), 1e-6);
        assertTrue(!q.report().negativeCurvature() || q.report().fallback().equals("CG on the normal equations"),
                q.report().toString());
    }

    @Property(tries = 60)
    void cgNeverReturnsAnAnswerWorseThanZero(@ForAll @IntRange(min = 2, max = 20) int n,
                                            @ForAll @IntRange(min = 1, max = 6) int iterations,
                                            @ForAll boolean definite, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Params domain = Systems.domain(n);
        LinearOperator op = LinearOperator.dense(domain, definite ? Systems.spd(rng, n, 1e4) : Systems.indefinite(rng, n));
        Params v = Systems.randomVector(domain, rng);
        for (ConjugateGradient.Fallback policy : List.of(ConjugateGradient.Fallback.MINRES,
                ConjugateGradient.Fallback.BEST_ITERATE)) {
            IhvpSolver.Solution q = ConjugateGradient.of(op, 0, iterations, 0).fallback(policy).solve(v);
            double residual = v.sub(op.apply(q.value())).norm();
            assertTrue(residual <= v.norm() * (1 + 1e-12), policy + ": residual " + residual + " > ||v|| " + v.norm()
                    + ": " + q.report());
        }
    }

    @Property(tries = 40)
    void minresResidualsNeverIncreaseAndMatchTheTrueResidual(@ForAll @IntRange(min = 2, max = 25) int n,
                                                             @ForAll long seed) {
        Rng rng = new Rng(seed);
        Params domain = Systems.domain(n);
        LinearOperator op = LinearOperator.dense(domain, Systems.indefinite(rng, n));
        Params v = Systems.randomVector(domain, rng);
        List<Double> trueResiduals = new ArrayList<>();
        IhvpSolver.Solution q = Minres.of(op, 0.05, n, 0).solve(v,
                (k, iterate) -> trueResiduals.add(v.sub(op.plus(0.05).apply(iterate)).norm()));
        List<Double> residuals = q.report().residuals();
        for (int k = 0; k < residuals.size(); k++) {
            assertEquals(trueResiduals.get(k), residuals.get(k), 1e-8 * v.norm(), "iteration " + (k + 1));
            if (k > 0) {
                assertTrue(residuals.get(k) <= residuals.get(k - 1) * (1 + 1e-12), "residual rose at " + (k + 1));
            }
        }
    }

    @Property(tries = 30)
    void neumannSeriesEqualsTheDenseTruncatedSeries(@ForAll @IntRange(min = 1, max = 15) int n,
                                                   @ForAll @IntRange(min = 0, max = 12) int terms, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Systems.spd(rng, n, 10);
        double alpha = 0.05;
        double damping = 0.2;
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        Tensor damped = m.add(Tensor.eye(DType.F64, n).mul(damping));
        Tensor step = Tensor.eye(DType.F64, n).sub(damped.mul(alpha));
        Tensor term = v.flatten().reshape(n, 1);
        Tensor sum = term;
        for (int k = 1; k <= terms; k++) {
            term = step.matmul(term);
            sum = sum.add(term);
        }
        IhvpSolver.Solution q = NeumannSeries.of(LinearOperator.dense(domain, m), damping, alpha, terms).solve(v);
        assertMaxScaledError(sum.mul(alpha).reshape(n), q.value().flatten(), 1e-12);
        assertEquals(terms, q.report().applications());
    }

    @Property(tries = 20)
    void neumannSeriesThatDivergesStopsAndSaysSo(@ForAll @IntRange(min = 1, max = 10) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Systems.spd(rng, n, 10);
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        double lambdaMax = Linalg.eigh(m).eigenvalue(n - 1);
        IhvpSolver.Solution q = NeumannSeries.of(LinearOperator.dense(domain, m), 0, 3 / lambdaMax, 200).solve(v);
        assertFalse(q.report().converged());
        assertTrue(Double.isFinite(q.value().norm()), "the answer must stay finite: " + q.value().norm());
        assertEquals("best answer before divergence", q.report().fallback());
    }

    @Property(tries = 20)
    void observedIteratesAreWhatShorterRunsReturn(@ForAll @IntRange(min = 2, max = 12) int n,
                                                  @ForAll @IntRange(min = 1, max = 8) int budget, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Params domain = Systems.domain(n);
        LinearOperator op = LinearOperator.dense(domain, Systems.spd(rng, n, 100));
        Params v = Systems.randomVector(domain, rng);
        IhvpSolver diagonal = SolverCases.positiveDiagonal(domain, rng);
        List<Params> cgIterates = new ArrayList<>();
        List<Params> pcgIterates = new ArrayList<>();
        List<Params> minresIterates = new ArrayList<>();
        List<Params> neumannIterates = new ArrayList<>();
        ConjugateGradient.of(op, 0.1, budget, 0).solve(v, (k, q) -> cgIterates.add(q));
        ConjugateGradient.of(op, 0.1, budget, 0).preconditioned(diagonal).solve(v, (k, q) -> pcgIterates.add(q));
        Minres.of(op, 0.1, budget, 0).solve(v, (k, q) -> minresIterates.add(q));
        NeumannSeries.of(op, 0.1, 0.005, budget).solve(v, (k, q) -> neumannIterates.add(q));
        assertEquals(budget, neumannIterates.size());
        for (int k = 1; k <= budget; k++) {
            if (k <= cgIterates.size()) {
                assertReturnsIterateUnlessWorseThanZero(ConjugateGradient.of(op, 0.1, k, 0), op, v, cgIterates.get(k - 1));
            }
            if (k <= pcgIterates.size()) {
                assertReturnsIterateUnlessWorseThanZero(ConjugateGradient.of(op, 0.1, k, 0).preconditioned(diagonal), op, v,
                        pcgIterates.get(k - 1));
            }
            if (k <= minresIterates.size()) {
                assertMaxScaledError(Minres.of(op, 0.1, k, 0).solve(v).value(), minresIterates.get(k - 1), 1e-12);
            }
            assertMaxScaledError(NeumannSeries.of(op, 0.1, 0.005, k).solve(v).value(), neumannIterates.get(k - 1), 1e-15);
        }
    }

    // CG(k) returns its k-th iterate, unless that iterate is worse than q = 0 (then a better answer).
    private static void assertReturnsIterateUnlessWorseThanZero(ConjugateGradient cg, LinearOperator op, Params v,
                                                                Params iterate) {
        Params answer = cg.solve(v).value();
        if (v.sub(op.plus(0.1).apply(iterate)).norm() <= v.norm()) {
            assertMaxScaledError(answer, iterate, 1e-12);
        } else {
            assertTrue(v.sub(op.plus(0.1).apply(answer)).norm() <= v.norm() * (1 + 1e-12));
        }
    }

    @Property(tries = 10)
    void aDenseOperatorMaterializesToAnIndependentCopyOfItsMatrix(@ForAll @IntRange(min = 1, max = 12) int n,
                                                                  @ForAll long seed) {
        Tensor m = Tensor.randn(new Rng(seed), DType.F64, n, n);
        LinearOperator op = LinearOperator.dense(Systems.domain(n), m);
        Tensor dense = op.toDense();
        assertMaxScaledError(m, dense, 0);
        dense.scaleInPlace(2);
        assertMaxScaledError(m, op.toDense(), 0);
        assertMaxScaledError(m.cast(DType.F32).cast(DType.F64),
                LinearOperator.dense(Systems.domain(n), m.cast(DType.F32)).toDense(), 0);
    }

    @Property(tries = 20)
    void exactSolverFactorsTheSymmetricPartOfARoundingLevelAsymmetricCurvature(
            @ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Systems.spd(rng, n, 100);
        // what F32 Hessian-vector products leave: asymmetry at the F32 unit roundoff
        Tensor asymmetric = m.add(Tensor.randn(rng, DType.F64, n, n).mul(1e-7 * m.abs().max().item()));
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        Tensor symmetricPart = asymmetric.add(asymmetric.transpose(0, 1)).mul(0.5);
        assertMaxScaledError(Systems.solve(symmetricPart, v.flatten()),
                ExactSolver.of(LinearOperator.dense(domain, asymmetric), 0).solve(v).value().flatten(), 1e-9);
    }

    @Example
    void exactSolvesRefuseANegativeOrNonFiniteDamping() {
        LinearOperator op = LinearOperator.dense(Systems.domain(3), Systems.spd(new Rng(1), 3, 10));
        for (double damping : new double[] {-1, -5e-4, Double.NaN, Double.POSITIVE_INFINITY}) {
            for (java.util.function.Supplier<ExactSolver> solve : List.<java.util.function.Supplier<ExactSolver>>of(
                    () -> ExactSolver.of(op, damping), () -> ExactSolver.general(op, damping),
                    () -> ExactSolver.indefinite(op, damping))) {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        solve::get, "damping " + damping);
                assertTrue(e.getMessage().contains("damping") && e.getMessage().contains(String.valueOf(damping)),
                        e.getMessage());
            }
        }
    }

    @Example
    void anExactSolveTooLargeForTheHeapIsRefusedBeforeAnyColumnIsComputed() {
        long heapSized = (long) Math.ceil(Math.sqrt(Runtime.getRuntime().maxMemory() / (8.0 * ExactSolver.DENSE_COPIES))) + 1;
        for (long n : new long[] {Math.min(heapSized, 46_000), 50_000}) {
            Params domain = Systems.domain((int) n);
            LinearOperator neverApplied = new LinearOperator() {
                @Override
                public Params apply(Params v) {
                    throw new AssertionError("a column was computed before the size check");
                }

                @Override
                public Params domain() {
                    return domain;
                }
            };
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ExactSolver.general(neverApplied, 0));
            assertTrue(e.getMessage().contains(n + " parameters") && e.getMessage().contains("GB"), e.getMessage());
        }
    }

    @Property(tries = 15)
    void solversOnTheHessianOfASmallNetworkMatchTheExactInverse(@ForAll long seed) {
        solversMatchTheExactInverseOnTheDampedHessian(seed);
    }

    /** Seed 5 gives a Hessian with an eigenvalue below -1: a fixed damping of 1 is not enough. */
    @Example
    void dampingFollowsTheSpectrumOfAStronglyIndefiniteHessian() {
        solversMatchTheExactInverseOnTheDampedHessian(5);
    }

    private static void solversMatchTheExactInverseOnTheDampedHessian(long seed) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(seed, 6, 2);
        HessianOperator hessian = HessianOperator.of(p.params(), p.batches());
        Tensor h = hessian.toDense();
        // the network Hessian may be indefinite: damp by one more than its most negative eigenvalue
        double damping = 1.0 + Math.max(0, -Linalg.eigh(h).eigenvalue(0));
        Params v = Systems.randomVector(hessian.domain(), new Rng(seed + 1));
        int n = (int) v.numel();
        Tensor expected = Systems.solve(h.add(Tensor.eye(DType.F64, n).mul(damping)), v.flatten());
        assertMaxScaledError(expected, ExactSolver.of(hessian, damping).solve(v).value().flatten(), 1e-9);
        ConjugateGradient cg = ConjugateGradient.of(hessian, damping, 4 * n, 1e-12);
        assertMaxScaledError(expected, cg.solve(v).value().flatten(), 1e-7);
        KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
        ConjugateGradient pcg = cg.preconditioned(KfacInverse.of(kfac, damping));
        assertMaxScaledError(expected, pcg.solve(v).value().flatten(), 1e-7);
        assertMaxScaledError(expected, Minres.of(hessian, damping, 4 * n, 1e-12).solve(v).value().flatten(), 1e-7);
    }

    @Example
    void theHessianOperatorReportsTheGraphItRetains() {
        Fixtures.Problem small = Fixtures.mlpCrossEntropy(1, 4, 1);
        Fixtures.Problem large = Fixtures.mlpCrossEntropy(1, 64, 1);
        long smallBytes = HessianOperator.of(small.params(), small.batches()).storedBytes();
        long largeBytes = HessianOperator.of(large.params(), large.batches()).storedBytes();
        assertTrue(smallBytes > 0);
        assertTrue(largeBytes > smallBytes * 4, "activations of 64 examples should outweigh those of 4: " + smallBytes
                + " vs " + largeBytes);
    }
}
