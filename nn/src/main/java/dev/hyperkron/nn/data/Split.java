package dev.hyperkron.nn.data;

import dev.hyperkron.core.Rng;
import java.util.Arrays;

/**
 * A seeded partition of one data set into disjoint training, validation and test sets, as the
 * bilevel tasks need (inner loss on train, outer loss on validation, report on test). Parts may
 * leave examples out (to subsample a large set) and keep their examples in source order; the
 * example indices trace every example back to the source set.
 */
public record Split(Dataset train, Dataset validation, Dataset test) {

    /**
     * Random parts of exactly the given sizes, which may sum to less than the data set. When
     * {@code stratified}, each part holds every class in (as nearly as integers allow) its
     * proportion in the whole set.
     */
    public static Split bySizes(Dataset data, int trainSize, int validationSize, int testSize, Rng rng, boolean stratified) {
        int[] sizes = {trainSize, validationSize, testSize};
        long total = (long) trainSize + validationSize + testSize;
        if (trainSize < 0 || validationSize < 0 || testSize < 0 || total > data.size()) {
            throw new IllegalArgumentException("Split: sizes train " + trainSize + ", validation " + validationSize
                    + ", test " + testSize + " must be non-negative and sum to at most the " + data.size() + " examples");
        }
        int[][] parts = stratified ? stratifiedParts(data, sizes, rng) : randomParts(data.size(), sizes, rng);
        return new Split(data.subset(parts[0]), data.subset(parts[1]), data.subset(parts[2]));
    }

    /**
     * Stratified parts of exactly the given sizes: each part holds every class in (as nearly as
     * integers allow) its proportion in the whole set. The same as {@code bySizes(..., rng, true)}.
     */
    public static Split stratifiedBySizes(Dataset data, int trainSize, int validationSize, int testSize, Rng rng) {
        return bySizes(data, trainSize, validationSize, testSize, rng, true);
    }

    /**
     * Stratified parts holding the given fractions of the data set (rounded; fractions summing to
     * 1 cover every example). The same as {@code byFractions(..., rng, true)}.
     */
    public static Split stratifiedByFractions(Dataset data, double train, double validation, double test, Rng rng) {
        return byFractions(data, train, validation, test, rng, true);
    }

    /**
     * Parts holding the given fractions of the data set (rounded). Fractions summing to 1 cover
     * every example: the training part takes what rounding leaves.
     */
    public static Split byFractions(Dataset data, double train, double validation, double test, Rng rng, boolean stratified) {
        double sum = train + validation + test;
        if (!(train >= 0 && validation >= 0 && test >= 0 && sum <= 1 + 1e-9)) {
            throw new IllegalArgumentException("Split: fractions train " + train + ", validation " + validation
                    + ", test " + test + " must be non-negative and sum to at most 1");
        }
        int n = data.size();
        int validationSize = (int) Math.round(validation * n);
        int testSize = Math.min((int) Math.round(test * n), n - validationSize);
        int rest = n - validationSize - testSize;
        int trainSize = Math.abs(sum - 1) <= 1e-9 ? rest : Math.min((int) Math.round(train * n), rest);
        return bySizes(data, trainSize, validationSize, testSize, rng, stratified);
    }

    private static int[][] randomParts(int n, int[] sizes, Rng rng) {
        int[] order = rng.permutation(n);
        int[][] parts = new int[sizes.length][];
        int from = 0;
        for (int k = 0; k < sizes.length; k++) {
            parts[k] = Arrays.copyOfRange(order, from, from + sizes[k]);
            Arrays.sort(parts[k]);
            from += sizes[k];
        }
        return parts;
    }

    /**
     * Each class's positions are shuffled, then the parts are filled one after another: part k
     * takes from class c its share size_k * n_c / n, rounded by largest remainder among the
     * classes that still have examples left, so the part sizes are exact.
     */
    private static int[][] stratifiedParts(Dataset data, int[] sizes, Rng rng) {
        int n = data.size();
        int[][] byClass = data.positionsByClass();
        for (int[] positions : byClass) {
            int[] order = rng.permutation(positions.length);
            int[] shuffled = new int[positions.length];
            for (int i = 0; i < order.length; i++) {
                shuffled[i] = positions[order[i]];
            }
            System.arraycopy(shuffled, 0, positions, 0, positions.length);
        }
        int classes = byClass.length;
        int[] taken = new int[classes];
        int[][] parts = new int[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            int[] quota = new int[classes];
            double[] remainder = new double[classes];
            int assigned = 0;
            for (int c = 0; c < classes; c++) {
                double exact = (double) sizes[k] * byClass[c].length / n;
                quota[c] = Math.min((int) Math.floor(exact), byClass[c].length - taken[c]);
                remainder[c] = exact - quota[c];
                assigned += quota[c];
            }
            while (assigned < sizes[k]) {
                int best = -1;
                for (int c = 0; c < classes; c++) {
                    if (taken[c] + quota[c] < byClass[c].length && (best < 0 || remainder[c] > remainder[best])) {
                        best = c;
                    }
                }
                quota[best]++;
                remainder[best] -= 1;
                assigned++;
            }
            int[] part = new int[sizes[k]];
            int at = 0;
            for (int c = 0; c < classes; c++) {
                System.arraycopy(byClass[c], taken[c], part, at, quota[c]);
                at += quota[c];
                taken[c] += quota[c];
            }
            Arrays.sort(part);
            parts[k] = part;
        }
        return parts;
    }
}
