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

    /**
     * Refuses a right-hand side of another layout before any work, naming both layouts (a solver
     * that reaches the operator with it would fail deep inside, in terms of reshapes).
     */
    void requireRightHandSide(String solver, Params v) {
        if (!operator.domain().isAlignedWith(v)) {
            throw new IllegalArgumentException(solver + ": the right-hand side " + v.layout()
                    + " does not match the operator's domain " + operator.domain().layout());
        }
    }

    /** The operator's bytes plus {@code vectors} work vectors of the domain. */
    long storedBytes(int vectors) {
        Params domain = operator.domain();
        return operator.storedBytes() + (long) vectors * domain.numel() * domain.dtype().byteSize();
    }
}
