package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;

/**
 * Approximately solves H q = v for q: the inverse-Hessian-vector product (IHVP) at the heart
 * of implicit hypergradients. Implementations trade accuracy for cost: exact dense solves,
 * Krylov methods (CG, MINRES), Neumann series, and closed-form inverses of Kronecker-factored
 * curvature. Every solve says what it did in a typed {@link SolveReport}.
 */
public interface IhvpSolver {

    /** q ~= H^{-1} v, with the report of how it was obtained. */
    Solution solve(Params v);

    /**
     * The memory the solver holds beyond its inputs and output, in bytes: its operator (factors,
     * inverses, a retained graph) and the work vectors of an iterative method.
     */
    default long storedBytes() {
        return 0;
    }

    /** The answer of one solve and its report. */
    record Solution(Params value, SolveReport report) {
    }
}
