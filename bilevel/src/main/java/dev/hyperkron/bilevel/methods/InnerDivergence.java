package dev.hyperkron.bilevel.methods;

/**
 * The inner phase met a NaN or infinite loss. Raised before the hypergradient would fail on
 * NaN parameters somewhere deep inside (a curvature estimate, a solver), so that the trainer can
 * stop the run with a message that says where it diverged.
 */
public final class InnerDivergence extends RuntimeException {
    public InnerDivergence(String message) {
        super(message);
    }
}
