package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.SymmetricEigen;
import dev.hyperkron.core.linalg.Linalg;
import java.util.Optional;

/**
 * Eigenpairs of a Kronecker factor: all n of a dense factor, or the nonzero ones of a factor held
 * as r rows Y, found from the r x r Gram matrix: Y Y^T = W L W^T gives F = Y^T Y = Q L Q^T with
 * Q = Y^T W L^{-1/2}. Directions outside Q then have eigenvalue zero ({@link #complete()} is false).
 * A dense factor on a device with a solver of its own is decomposed there; otherwise the
 * eigensolver runs on the host. The vectors are returned on the factor's device, the values (read
 * by the caller to form denominators) on the host.
 *
 * @param vectors  orthonormal eigenvectors as columns, [n, k], in the factor's dtype
 * @param values   the k eigenvalues, ascending, F64
 * @param complete whether the vectors span the whole space (k = n)
 */
record FactorEigen(Tensor vectors, Tensor values, boolean complete) {
    /** Gram eigenvalues this far below the largest are rounding noise of zero eigenvalues. */
    private static final double RELATIVE_ZERO = 1e-12;

    static FactorEigen of(FactorMatrix factor) {
        if (factor.isRows()) {
            Tensor y = factor.rows().cast(DType.F64);
            SymmetricEigen gram = SymmetricEigen.of(y.matmul(y, false, true).to(Device.host()));
            int r = gram.size();
            double largest = gram.eigenvalue(r - 1);
            if (largest > 0) {
                int first = 0;
                while (gram.eigenvalue(first) <= RELATIVE_ZERO * largest) {
                    first++;
                }
                Tensor values = gram.eigenvalues().slice(0, first, r);
                Tensor w = gram.eigenvectors().slice(1, first, r).div(values.sqrt().reshape(1, r - first)).to(y.device());
                Tensor q = y.matmul(w, true, false);
                return new FactorEigen(q.cast(factor.dtype()), values, r - first == factor.dim());
            }
        }
        Tensor dense = factor.toDense();
        // In F64, as the host's eigensolver works whatever the factor's dtype; rounded back as it rounds.
        Optional<Linalg.DeviceEigen> there = Linalg.eighOnDevice(dense.cast(DType.F64));
        if (there.isPresent()) {
            return new FactorEigen(there.get().vectors().cast(dense.dtype()),
                    there.get().values().cast(dense.dtype()).cast(DType.F64), true);
        }
        SymmetricEigen eig = SymmetricEigen.of(dense.to(Device.host()));
        return new FactorEigen(eig.eigenvectors().to(dense.device()), eig.eigenvalues().cast(DType.F64), true);
    }
}
