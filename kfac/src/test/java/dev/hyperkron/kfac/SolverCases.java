package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import java.util.List;

/**
 * Every IHVP solver, one row each: how to build it for a symmetric system M = A + delta I and
 * the conditioning it is expected to handle. The table the solver contract runs over; a new
 * solver joins with one line.
 */
final class SolverCases {
    private SolverCases() {
    }

    /** Builds a solver of (A + damping I) q = v for a dense symmetric A; {@code rng} for anything random. */
    @FunctionalInterface
    interface Factory {
        IhvpSolver build(LinearOperator a, double damping, Rng rng);
    }

    /**
     * @param maxCondition the largest condition number of an SPD system the solver must solve to 1e-6
     */
    record Case(String name, Factory factory, double maxCondition) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> ALL = List.of(
            new Case("CG", (a, d, rng) -> ConjugateGradient.of(a, d, 400, 1e-13), 1e4),
            new Case("CG, normal equations", (a, d, rng) -> ConjugateGradient.of(a, d, 400, 1e-13)
                    .variant(ConjugateGradient.Variant.NORMAL_EQUATIONS), 1e2),
            new Case("PCG, Jacobi-like preconditioner", (a, d, rng) -> ConjugateGradient.of(a, d, 400, 1e-13)
                    .preconditioned(positiveDiagonal(a.domain(), rng)), 1e4),
            new Case("MINRES", (a, d, rng) -> Minres.of(a, d, 400, 1e-13), 1e4),
            new Case("Neumann", (a, d, rng) -> NeumannSeries.of(a, d, 1 / (largestEigenvalue(a) + d), 4000)
                    .tolerance(1e-12), 30),
            new Case("exact (Cholesky)", (a, d, rng) -> ExactSolver.of(a, d), 1e6),
            new Case("exact (general)", (a, d, rng) -> ExactSolver.general(a, d), 1e6));

    /** A fixed SPD diagonal preconditioner with entries in [0.5, 2]. */
    static IhvpSolver positiveDiagonal(Params domain, Rng rng) {
        Tensor diagonal = Tensor.uniform(rng, dev.hyperkron.core.DType.F64, 0.5, 2, (int) domain.numel());
        return r -> new IhvpSolver.Solution(domain.unflatten(r.flatten().mul(diagonal)), SolveReport.closedForm("diagonal"));
    }

    static double largestEigenvalue(LinearOperator a) {
        Tensor dense = a.toDense();
        double largest = 0;
        var eigen = Linalg.eigh(dense);
        for (int i = 0; i < dense.dim(0); i++) {
            largest = Math.max(largest, Math.abs(eigen.eigenvalue(i)));
        }
        return largest;
    }
}
