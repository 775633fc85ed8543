package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/**
 * A linear map on parameter space, known only through its action on vectors: Hessians, GGNs,
 * Kronecker-factored approximations and their inverses all present this one small interface,
 * and each can be materialized densely to be checked against the others on small problems.
 */
public interface LinearOperator {

    /** This operator applied to v (aligned with {@link #domain()}); the result is constants. */
    Params apply(Params v);

    /** The names, shapes and dtypes of the vectors this operator acts on, as zeros. */
    Params domain();

    /** Whether the operator is symmetric (every curvature matrix and its inverse is); false when unknown. */
    default boolean isSymmetric() {
        return false;
    }

    /**
     * The memory this operator holds beyond its inputs, in bytes, measured from what it keeps
     * (factors, inverses, eigenbases, or the retained graph of double backward).
     */
    default long storedBytes() {
        return 0;
    }

    /** The dense matrix in F64 (apply to every unit vector): for small problems and tests only. */
    default Tensor toDense() {
        Params zero = domain().cast(DType.F64);
        int n = (int) zero.numel();
        Tensor dense = Tensor.zeros(DType.F64, n, n);
        for (int j = 0; j < n; j++) {
            Tensor e = Tensor.zeros(DType.F64, n);
            e.storage().setDouble(j, 1.0);
            Tensor column = apply(domain().unflatten(e)).flatten().cast(DType.F64);
            for (int i = 0; i < n; i++) {
                dense.storage().setDouble(i * n + j, column.storage().getDouble(i));
            }
        }
        return dense;
    }

    /** This operator plus delta times the identity (damping). */
    default LinearOperator plus(double delta) {
        return new ShiftedOperator(this, delta);
    }

    /** v -> this(other(v)); symmetric only when declared so by the caller's knowledge, so reported as not. */
    default LinearOperator compose(LinearOperator other) {
        LinearOperator self = this;
        return new LinearOperator() {
            @Override
            public Params apply(Params v) {
                return self.apply(other.apply(v));
            }

            @Override
            public Params domain() {
                return other.domain();
            }

            @Override
            public long storedBytes() {
                return self.storedBytes() + other.storedBytes();
            }
        };
    }

    /** A dense matrix acting on vectors of the given domain (row-major flattening of the entries). */
    static LinearOperator dense(Params domain, Tensor matrix) {
        return new DenseOperator(domain.zerosLike(), matrix);
    }
}
