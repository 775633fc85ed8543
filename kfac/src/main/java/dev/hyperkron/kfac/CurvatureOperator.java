package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;

/**
 * What every curvature matrix of a model shares: it acts on vectors shaped like the model's
 * parameters (its domain, held as zeros) and it is symmetric (Hessian, GGN, KFAC, EKFAC).
 */
public abstract class CurvatureOperator implements LinearOperator {
    /** The parameter layout, as zeros. */
    protected final Params domain;

    /** @param domain the parameter layout as zeros (see {@link LinearOperator#domain}) */
    protected CurvatureOperator(Params domain) {
        this.domain = domain;
    }

    @Override
    public final Params domain() {
        return domain;
    }

    @Override
    public final boolean isSymmetric() {
        return true;
    }
}
