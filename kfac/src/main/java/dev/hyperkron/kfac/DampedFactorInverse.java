package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.Linalg;
import java.util.Optional;
import dev.hyperkron.core.linalg.SymmetricEigen;

/**
 * (F + d I)^{-1} for a Kronecker factor F, applied from either side. A dense factor is inverted
 * by Cholesky (which factors in F64 whatever F's dtype), else, for a numerically indefinite
 * result, through its eigendecomposition with eigenvalues clamped from below at the larger of
 * {@code minDamping} and d: F is a sum of outer products, so F + d I has no eigenvalue below d
 * but what rounding put there (an F32 factor of a transformer layer came out with eigenvalue
 * -0.5 at damping 0.045); with neither, a clear error. A factor held as rows Y
 * (F = Y^T Y, r < n rows) with d > 0 is inverted by the Woodbury identity,
 * (F + d I)^{-1} = (I - Y^T (d I + Y Y^T)^{-1} Y) / d, which factors only the r x r matrix
 * and costs 2rn + r^2 instead of n^2 per row it is applied to.
 *
 * <p>A dense factor on a device with a solver of its own (a GPU) is inverted there by Cholesky.
 * Otherwise the factorizations run on the host (core's linalg): a factor on another device is
 * copied to the host once and its inverse copied back, so that applying it stays on the device.
 */
final class DampedFactorInverse {
    private final Tensor inverse;
    private final Tensor rows;
    private final Tensor core;
    private final double damping;
    private final boolean clamped;

    private DampedFactorInverse(Tensor inverse, Tensor rows, Tensor core, double damping, boolean clamped) {
        this.inverse = inverse;
        this.rows = rows;
        this.core = core;
        this.damping = damping;
        this.clamped = clamped;
    }

    /** Inverts {@code factor + damping I}; {@code what} names the factor in error messages. */
    static DampedFactorInverse of(FactorMatrix factor, double damping, double minDamping, String what) {
        if (!factor.isRows() || !(damping > 0)) {
            return of(factor.toDense(), damping, minDamping, what);
        }
        Tensor y = factor.rows().cast(DType.F64);
        Tensor gram = y.matmul(y, false, true).to(Device.host()).add(Tensor.eye(DType.F64, y.dim(0)).mul(damping));
        Cholesky.Result chol = Cholesky.tryDecompose(gram);
        if (!chol.isPositiveDefinite()) {
            return of(factor.toDense(), damping, minDamping, what);
        }
        Tensor core = chol.factor().inverse().cast(factor.dtype()).to(y.device());
        return new DampedFactorInverse(null, factor.rows(), core, damping, false);
    }

    /** Inverts the dense {@code factor + damping I}. */
    static DampedFactorInverse of(Tensor factor, double damping, double minDamping, String what) {
        Device device = factor.device();
        if (device != Device.host()) {
            // In F64, as the host's Cholesky factors whatever the factor's dtype.
            Tensor damped = (damping == 0 ? factor : plusDiagonal(factor, damping)).cast(DType.F64);
            Optional<Tensor> there = Linalg.spdInverseOnDevice(damped);
            if (there.isPresent()) {
                return new DampedFactorInverse(there.get().cast(factor.dtype()), null, null, damping, false);
            }
        }
        Tensor onHost = factor.to(Device.host());
        Tensor damped = damping == 0 ? onHost : onHost.add(Tensor.eye(factor.dtype(), factor.dim(0)).mul(damping));
        Cholesky.Result chol = Cholesky.tryDecompose(damped);
        if (chol.isPositiveDefinite()) {
            return new DampedFactorInverse(chol.factor().inverse().to(device), null, null, damping, false);
        }
        SymmetricEigen eig = SymmetricEigen.of(damped);
        double floor = Math.max(minDamping, damping);
        if (!(floor > 0)) {
            throw new IllegalArgumentException(what + " is singular (" + chol + ", smallest eigenvalue "
                    + eig.eigenvalue(0) + ") with damping " + damping + "; use a positive damping or minDamping");
        }
        return new DampedFactorInverse(eig.mapEigenvalues(w -> 1.0 / Math.max(w, floor)).to(device), null, null, damping, true);
    }

    /** factor + d I, computed where the factor is (d is added to the diagonal only). */
    private static Tensor plusDiagonal(Tensor factor, double d) {
        int n = factor.dim(0);
        Tensor shift = Tensor.full(factor.device(), factor.dtype(), d, Shape.of(n));
        return factor.reshape(n * n).scatterAdd(0, FactorMatrix.diagonalPositions(n), shift).reshape(n, n);
    }

    /** Whether the eigenvalue-clamping fallback was needed. */
    boolean clamped() {
        return clamped;
    }

    /** m (F + d I)^{-1} for m [k, n]. */
    Tensor rightMultiply(Tensor m) {
        if (inverse != null) {
            return m.matmul(inverse);
        }
        return m.sub(m.matmul(rows, false, true).matmul(core).matmul(rows)).div(damping);
    }

    /** (F + d I)^{-1} m for m [n, k]. */
    Tensor leftMultiply(Tensor m) {
        if (inverse != null) {
            return inverse.matmul(m);
        }
        return m.sub(rows.matmul(core.matmul(rows.matmul(m)), true, false)).div(damping);
    }

    long storedElements() {
        return inverse != null ? inverse.size() : (long) rows.size() + core.size();
    }
}
