package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Require;

/**
 * The system M = A + delta I that the iterative solvers (CG, MINRES, Neumann) work on, with the
 * memory an iterative method holds: the operator's plus its work vectors.
 */
record DampedSystem(LinearOperator operator, double damping) {

    DampedSystem {
        if (operator == null) {
            throw new IllegalArgumentException("an iterative IHVP solver needs a curvature operator");
        }
        Require.finiteNonNegative("damping", damping);
    }

    /** M p = A p + delta p. */
    Params apply(Params p) {
        Params ap = operator.apply(p);
        return damping == 0 ? ap : ap.axpy(damping, p);
    }

    /** The operator's bytes plus {@code vectors} work vectors of the domain. */
    long storedBytes(int vectors) {
        Params domain = operator.domain();
        return operator.storedBytes() + (long) vectors * domain.numel() * domain.dtype().byteSize();
    }
}
