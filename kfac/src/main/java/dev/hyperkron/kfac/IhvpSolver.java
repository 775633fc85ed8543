package dev.hyperkron.kfac;

/**
 * Approximately solves H q = v for q: the inverse-Hessian-vector product (IHVP) at the heart
 * of implicit hypergradients. Implementations trade accuracy for cost: exact dense solves,
 * Krylov (CG), Neumann series, and closed-form inverses of Kronecker-factored curvature.
 */
public interface IhvpSolver {

    /** q ~= H^{-1} v. */
    ParamVector solve(ParamVector v);

    /** Number of floating-point values the solver holds (inverse factors, eigenbases). */
    default long storedElements() {
        return 0;
    }
}
