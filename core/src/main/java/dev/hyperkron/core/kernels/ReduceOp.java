package dev.hyperkron.core.kernels;

/** Associative reductions along one axis. */
public enum ReduceOp {
    SUM(0.0), MAX(Double.NEGATIVE_INFINITY), MIN(Double.POSITIVE_INFINITY);

    private final double identity;

    ReduceOp(double identity) {
        this.identity = identity;
    }

    /** The value of the reduction over zero elements. */
    public double identity() {
        return identity;
    }

    /** Combines an accumulator with one more element. */
    public double combine(double acc, double x) {
        return switch (this) {
            case SUM -> acc + x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
        };
    }
}
