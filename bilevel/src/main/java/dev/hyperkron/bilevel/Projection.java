package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import java.util.function.UnaryOperator;

/**
 * Elementwise bounds on the outer variables, enforced after each outer step by clamping (the
 * Euclidean projection onto a box), with either side possibly open. It also says how much of
 * lambda sits at a bound, the sign that outer steps are too large for the method's hypergradient
 * scale. Use it in {@link BilevelProblem#project}: {@code return Projection.atLeast(0).apply(lambda);}.
 *
 * @param lower the lower bound, or negative infinity for none
 * @param upper the upper bound, or positive infinity for none
 */
public record Projection(double lower, double upper) implements UnaryOperator<Params> {

    /** Checks lower <= upper (neither NaN). */
    public Projection {
        if (!(lower <= upper) || lower == Double.POSITIVE_INFINITY || upper == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("Projection: needs lower <= upper with lower < inf and upper > -inf,"
                    + " got lower " + lower + " and upper " + upper);
        }
    }

    /** No bounds: lambda is left as it is. */
    public static Projection none() {
        return new Projection(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Every element at least {@code lower}. */
    public static Projection atLeast(double lower) {
        return new Projection(lower, Double.POSITIVE_INFINITY);
    }

    /** Every element at most {@code upper}. */
    public static Projection atMost(double upper) {
        return new Projection(Double.NEGATIVE_INFINITY, upper);
    }

    /** Every element in [lower, upper]. */
    public static Projection box(double lower, double upper) {
        return new Projection(lower, upper);
    }

    /** Every value clamped into the bounds, as fresh leaves with the same names. */
    @Override
    public Params apply(Params lambda) {
        return lambda.map(v -> Var.leaf(v.value().clamp(lower, upper)));
    }

    /**
     * The fraction of all elements of lambda that lie on a finite bound (0 when lambda has no
     * elements): after {@link #apply}, how much of lambda the projection pins.
     */
    public double fractionAtBound(Params lambda) {
        long total = 0;
        long pinned = 0;
        for (Tensor t : lambda.values()) {
            for (double x : t.toDoubleArray()) {
                if ((x == lower || x == upper) && Double.isFinite(x)) {
                    pinned++;
                }
            }
            total += t.size();
        }
        return total == 0 ? 0 : (double) pinned / total;
    }
}
