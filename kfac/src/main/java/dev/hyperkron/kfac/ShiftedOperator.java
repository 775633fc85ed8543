package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;

/** An operator plus a multiple of the identity: A + delta I, the damped curvature. */
final class ShiftedOperator implements LinearOperator {
    private final LinearOperator base;
    private final double delta;

    ShiftedOperator(LinearOperator base, double delta) {
        if (!Double.isFinite(delta)) {
            throw new IllegalArgumentException("the shift (damping) must be finite, got " + delta);
        }
        this.base = base;
        this.delta = delta;
    }

    @Override
    public Params apply(Params v) {
        Params av = base.apply(v);
        return delta == 0 ? av : av.axpy(delta, v);
    }

    @Override
    public Params domain() {
        return base.domain();
    }

    @Override
    public boolean isSymmetric() {
        return base.isSymmetric();
    }

    @Override
    public long storedBytes() {
        return base.storedBytes();
    }
}
