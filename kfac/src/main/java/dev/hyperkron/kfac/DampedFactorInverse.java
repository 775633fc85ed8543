package dev.hyperkron.kfac;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.SymmetricEigen;

/**
 * (F + d I)^{-1} for a Kronecker factor F: by Cholesky (which factors in F64 whatever F's dtype),
 * else, for a numerically indefinite result, through the eigendecomposition with eigenvalues
 * clamped from below at {@code minDamping}; with no floor to clamp at, a clear error.
 *
 * @param inverse  the inverse, in F's dtype
 * @param clamped  whether the eigenvalue-clamping fallback was needed
 */
record DampedFactorInverse(Tensor inverse, boolean clamped) {

    /** Inverts {@code factor + damping I}; {@code what} names the factor in error messages. */
    static DampedFactorInverse of(Tensor factor, double damping, double minDamping, String what) {
        Tensor damped = damping == 0 ? factor : factor.add(Tensor.eye(factor.dtype(), factor.dim(0)).mul(damping));
        Cholesky.Result chol = Cholesky.tryDecompose(damped);
        if (chol.isPositiveDefinite()) {
            return new DampedFactorInverse(chol.factor().inverse(), false);
        }
        SymmetricEigen eig = SymmetricEigen.of(damped);
        if (!(minDamping > 0)) {
            throw new IllegalArgumentException(what + " is singular (" + chol + ", smallest eigenvalue "
                    + eig.eigenvalue(0) + ") with damping " + damping + "; use a positive damping or minDamping");
        }
        return new DampedFactorInverse(eig.mapEigenvalues(w -> 1.0 / Math.max(w, minDamping)), true);
    }
}
