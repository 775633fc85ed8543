package dev.hyperkron.kfac;

/**
 * The truncated Neumann series H^{-1} v ~= alpha sum_{k=0..K} (I - alpha H)^k v on the damped
 * curvature, valid when ||I - alpha H|| < 1. K = 0 is the identity surrogate q = alpha v, which
 * never touches H.
 */
public final class NeumannSeries implements IhvpSolver {
    private final LinearOperator operator;
    private final double damping;
    private final double alpha;
    private final int terms;

    private NeumannSeries(LinearOperator operator, double damping, double alpha, int terms) {
        if (!(alpha > 0) || terms < 0 || !(damping >= 0)) {
            throw new IllegalArgumentException("Neumann series needs alpha > 0, K >= 0 and damping >= 0, got alpha="
                    + alpha + ", K=" + terms + ", damping=" + damping);
        }
        if (terms > 0 && operator == null) {
            throw new IllegalArgumentException("a Neumann series with K > 0 terms needs a curvature operator");
        }
        this.operator = operator;
        this.damping = damping;
        this.alpha = alpha;
        this.terms = terms;
    }

    /** K terms beyond the first, step alpha, on H + damping I. */
    public static NeumannSeries of(LinearOperator operator, double damping, double alpha, int terms) {
        return new NeumannSeries(operator, damping, alpha, terms);
    }

    /** The identity surrogate q = alpha v. */
    public static NeumannSeries identity(double alpha) {
        return new NeumannSeries(null, 0, alpha, 0);
    }

    public int terms() {
        return terms;
    }

    @Override
    public ParamVector solve(ParamVector v) {
        return solve(v, null);
    }

    /** {@link #solve(ParamVector)}, reporting the answer with k terms, k = 1..K, to {@code observer} (may be null). */
    public ParamVector solve(ParamVector v, IterateObserver observer) {
        ParamVector term = v;
        ParamVector sum = v;
        for (int k = 1; k <= terms; k++) {
            ParamVector h = operator.apply(term);
            if (damping != 0) {
                h = h.axpy(damping, term);
            }
            term = term.axpy(-alpha, h);
            sum = sum.add(term);
            if (observer != null) {
                observer.onIterate(k, sum.scale(alpha));
            }
        }
        return sum.scale(alpha);
    }
}
