package dev.hyperkron.core.linalg;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Storage;
import java.util.Optional;

/**
 * One-call linear algebra on 2-D F32/F64 tensors, in the spirit of {@code torch.linalg}: each
 * method factors its argument and returns a tensor of the input's dtype. Factor once with
 * {@link Cholesky}, {@link LuDecomposition} or {@link SymmetricEigen} to reuse the work.
 */
public final class Linalg {
    private Linalg() {
    }

    /** The lower Cholesky factor L of an SPD matrix (A = L L^T); throws {@link NotPositiveDefiniteException}. */
    public static Tensor cholesky(Tensor a) {
        return Cholesky.decompose(a).lower();
    }

    /** X with A X = B for SPD A, by Cholesky; B is [n] or [n, k]. */
    public static Tensor spdSolve(Tensor a, Tensor b) {
        return Cholesky.decompose(a).solve(b);
    }

    /** A^{-1} for SPD A, by Cholesky, exactly symmetric. */
    public static Tensor spdInverse(Tensor a) {
        return Cholesky.decompose(a).inverse();
    }

    /**
     * A^{-1} for SPD A computed where A is, when A's device has a solver of its own (a GPU's
     * cuSOLVER): empty on the host, on a device without one, or when A is not positive definite,
     * so that the caller factors on the host, which also says why.
     */
    public static Optional<Tensor> spdInverseOnDevice(Tensor a) {
        Device device = a.device();
        if (device == Device.host() || a.rank() != 2 || a.dim(0) != a.dim(1) || !a.dtype().isFloating()) {
            return Optional.empty();
        }
        try {
            Object inverse = device.spdInverse(a.dtype(), a.storage().buffer(), a.dim(0));
            return inverse == null ? Optional.empty()
                    : Optional.of(Tensor.wrap(Storage.wrap(device, a.dtype(), inverse, a.size()), a.shape()));
        } catch (NotPositiveDefiniteException e) {
            return Optional.empty();
        }
    }

    /**
     * The eigendecomposition of a symmetric A computed where A is, when A's device has a solver of
     * its own: the ascending eigenvalues (F64, on the host) and the orthonormal eigenvectors as
     * columns (A's dtype, on A's device). Empty on the host or a device without one.
     */
    public static Optional<DeviceEigen> eighOnDevice(Tensor a) {
        Device device = a.device();
        if (device == Device.host() || a.rank() != 2 || a.dim(0) != a.dim(1) || !a.dtype().isFloating()) {
            return Optional.empty();
        }
        Device.Eigenpairs pairs = device.symmetricEigen(a.dtype(), a.storage().buffer(), a.dim(0));
        return pairs == null ? Optional.empty() : Optional.of(new DeviceEigen(Tensor.of(pairs.values()),
                Tensor.wrap(Storage.wrap(device, a.dtype(), pairs.vectors(), a.size()), a.shape())));
    }

    /** Eigenpairs from {@link #eighOnDevice}: values [n] (F64, host), vectors [n, n] as columns (on the device). */
    public record DeviceEigen(Tensor values, Tensor vectors) {
    }

    /** X with A X = B for any nonsingular A, by LU with partial pivoting; throws {@link SingularMatrixException}. */
    public static Tensor solve(Tensor a, Tensor b) {
        return LuDecomposition.of(a).solve(b);
    }

    /** A^{-1} for any nonsingular A, by LU with partial pivoting; throws {@link SingularMatrixException}. */
    public static Tensor inverse(Tensor a) {
        return LuDecomposition.of(a).inverse();
    }

    /** X with op(T) X = B for the given triangle of T, op(T) = T^T when {@code transpose}. */
    public static Tensor solveTriangular(Tensor t, Triangle triangle, boolean transpose, Tensor b) {
        return TriangularSolve.solve(t, triangle, transpose, b);
    }

    /** Ascending eigenvalues and orthonormal eigenvectors (columns) of a symmetric matrix. */
    public static SymmetricEigen eigh(Tensor a) {
        return SymmetricEigen.of(a);
    }
}
