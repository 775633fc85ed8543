package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/**
 * A linear map on parameter space, known only through its action on vectors: Hessians, GGNs,
 * Kronecker-factored approximations and their inverses all present this one small interface,
 * and each can be materialized densely to be checked against the others on small problems.
 */
public interface LinearOperator {

    /** This operator applied to v (aligned with {@link #layout()}). */
    ParamVector apply(ParamVector v);

    /** The names and shapes of the vectors this operator acts on (a zero vector). */
    ParamVector layout();

    /** Number of floating-point values the operator holds beyond its inputs (factors, inverses). */
    default long storedElements() {
        return 0;
    }

    /** The dense matrix in F64 (apply to every unit vector): for small problems and tests only. */
    default Tensor toDense() {
        ParamVector zero = layout().cast(DType.F64);
        int n = zero.size();
        Tensor dense = Tensor.zeros(DType.F64, n, n);
        for (int j = 0; j < n; j++) {
            Tensor e = Tensor.zeros(DType.F64, n);
            e.storage().setDouble(j, 1.0);
            Tensor column = apply(ParamVector.fromFlat(layout(), e)).toFlat().cast(DType.F64);
            for (int i = 0; i < n; i++) {
                dense.storage().setDouble(i * n + j, column.storage().getDouble(i));
            }
        }
        return dense;
    }

    /** This operator plus delta times the identity (damping). */
    default LinearOperator plus(double delta) {
        LinearOperator self = this;
        return new LinearOperator() {
            @Override
            public ParamVector apply(ParamVector v) {
                return self.apply(v).axpy(delta, v);
            }

            @Override
            public ParamVector layout() {
                return self.layout();
            }

            @Override
            public long storedElements() {
                return self.storedElements();
            }
        };
    }

    /** v -> this(other(v)). */
    default LinearOperator compose(LinearOperator other) {
        LinearOperator self = this;
        return new LinearOperator() {
            @Override
            public ParamVector apply(ParamVector v) {
                return self.apply(other.apply(v));
            }

            @Override
            public ParamVector layout() {
                return other.layout();
            }

            @Override
            public long storedElements() {
                return self.storedElements() + other.storedElements();
            }
        };
    }

    /** A dense matrix acting on vectors of the given layout (row-major flattening of the blocks). */
    static LinearOperator dense(ParamVector layout, Tensor matrix) {
        int n = layout.size();
        if (matrix.rank() != 2 || matrix.dim(0) != n || matrix.dim(1) != n) {
            throw new IllegalArgumentException("dense operator: a layout of " + n + " elements needs an " + n + "x" + n
                    + " matrix, got " + matrix.shape());
        }
        ParamVector zero = ParamVector.zerosLike(layout);
        return new LinearOperator() {
            @Override
            public ParamVector apply(ParamVector v) {
                Tensor x = v.toFlat().cast(matrix.dtype()).reshape(n, 1);
                return ParamVector.fromFlat(zero, matrix.matmul(x).reshape(n));
            }

            @Override
            public ParamVector layout() {
                return zero;
            }

            @Override
            public long storedElements() {
                return (long) n * n;
            }

            @Override
            public Tensor toDense() {
                return matrix.dtype() == DType.F64 ? matrix.copy() : matrix.cast(DType.F64);
            }
        };
    }
}
