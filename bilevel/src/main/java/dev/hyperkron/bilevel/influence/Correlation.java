package dev.hyperkron.bilevel.influence;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Pearson and Spearman correlation, how influence estimates are scored against leave-one-out
 * retraining: Pearson for the values (first-order accuracy), Spearman for the ranking (what a
 * user of proponents and opponents relies on).
 */
public final class Correlation {
    private Correlation() {
    }

    /** Pearson's r of two equally long samples; NaN when either is constant. */
    public static double pearson(double[] x, double[] y) {
        requirePaired(x, y);
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** Spearman's rho: Pearson's r of the ranks, tied values sharing their average rank. */
    public static double spearman(double[] x, double[] y) {
        requirePaired(x, y);
        return pearson(ranks(x), ranks(y));
    }

    /** Ranks 1..n in ascending order, ties averaged. */
    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .toArray(Integer[]::new);
        double[] r = new double[v.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && v[order[end + 1]] == v[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                r[order[k]] = rank;
            }
            start = end + 1;
        }
        return r;
    }

    private static void requirePaired(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("correlation needs two samples of the same size >= 2, got " + x.length
                    + " and " + y.length);
        }
    }
}
