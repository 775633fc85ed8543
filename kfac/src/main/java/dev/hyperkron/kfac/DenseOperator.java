package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/** A materialized n x n matrix acting on the row-major flattening of a parameter vector. */
final class DenseOperator implements LinearOperator {
    private final Params domain;
    private final Tensor matrix;
    private final boolean symmetric;

    DenseOperator(Params domain, Tensor matrix) {
        long n = domain.numel();
        if (matrix.rank() != 2 || matrix.dim(0) != n || matrix.dim(1) != n) {
            throw new IllegalArgumentException("dense operator: a domain of " + n + " elements " + domain.layout()
                    + " needs an " + n + "x" + n + " matrix, got " + matrix.shape());
        }
        this.domain = domain;
        this.matrix = matrix;
        this.symmetric = matrix.equals(matrix.transpose(0, 1));
    }

    @Override
    public Params apply(Params v) {
        domain.requireAligned(v);
        int n = matrix.dim(0);
        Tensor x = v.flatten().cast(matrix.dtype()).reshape(n, 1);
        return domain.unflatten(matrix.matmul(x).reshape(n));
    }

    @Override
    public Params domain() {
        return domain;
    }

    @Override
    public boolean isSymmetric() {
        return symmetric;
    }

    @Override
    public long storedBytes() {
        return (long) matrix.size() * matrix.dtype().byteSize();
    }

    @Override
    public Tensor toDense() {
        return matrix.cast(DType.F64);
    }
}
