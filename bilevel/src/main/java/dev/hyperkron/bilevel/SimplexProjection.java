package dev.hyperkron.bilevel;

import dev.hyperkron.core.Tensor;
import java.util.Arrays;

/**
 * The Euclidean projection of each row of a matrix onto the probability simplex {y : y >= 0,
 * sum y = 1}, by the sort-and-threshold algorithm (Duchi et al. 2008): y = max(x - tau, 0) with
 * the one tau that makes the row sum to one. Outer variables that are distributions (relaxed
 * labels) stay distributions after a gradient step.
 */
public final class SimplexProjection {
    private SimplexProjection() {
    }

    /** Every row of {@code x} [N, C] projected onto the simplex, in x's dtype and on its device. */
    public static Tensor rows(Tensor x) {
        if (x.rank() != 2 || x.dim(1) < 1) {
            throw new IllegalArgumentException("simplex projection: expected rows [N, C] with C >= 1, got " + x.shape());
        }
        int n = x.dim(0);
        int c = x.dim(1);
        double[] values = x.toDoubleArray();
        double[] out = new double[values.length];
        for (int i = 0; i < n; i++) {
            double[] row = Arrays.copyOfRange(values, i * c, (i + 1) * c);
            double tau = threshold(row);
            for (int j = 0; j < c; j++) {
                out[i * c + j] = Math.max(row[j] - tau, 0);
            }
        }
        return Tensor.of(out, n, c).cast(x.dtype()).to(x.device());
    }

    /** tau = (sum of the k largest - 1) / k for the largest k whose k-th largest entry stays above it. */
    private static double threshold(double[] row) {
        for (double v : row) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("simplex projection: the row " + Arrays.toString(row)
                        + " has a value that is not finite");
            }
        }
        double[] sorted = row.clone();
        Arrays.sort(sorted);
        double sum = 0;
        double tau = 0;
        for (int k = 1; k <= sorted.length; k++) {
            double largest = sorted[sorted.length - k];
            sum += largest;
            double candidate = (sum - 1) / k;
            if (largest - candidate > 0) {
                tau = candidate;
            }
        }
        return tau;
    }
}
