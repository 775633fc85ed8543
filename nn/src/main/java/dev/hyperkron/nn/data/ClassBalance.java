package dev.hyperkron.nn.data;

import dev.hyperkron.core.Rng;
import java.util.Arrays;

/**
 * Seeded per-class subsampling, to make an imbalanced training set (class reweighting, long-tail
 * experiments) or a balanced validation or test set from a labelled data set. Every result keeps
 * its examples in source order, and the example indices trace them back to the source set.
 */
public final class ClassBalance {
    private ClassBalance() {
    }

    /**
     * Exactly {@code perClassCounts[c]} examples of each class c, drawn uniformly without
     * replacement. The array has one entry per class; a count above what the class has is refused.
     */
    public static Dataset subsample(Dataset data, int[] perClassCounts, Rng rng) {
        int[][] byClass = data.positionsByClass();
        if (perClassCounts.length != byClass.length) {
            throw new IllegalArgumentException("ClassBalance.subsample: expected " + byClass.length
                    + " per-class counts (one per class), got " + perClassCounts.length);
        }
        int total = 0;
        for (int c = 0; c < byClass.length; c++) {
            if (perClassCounts[c] < 0 || perClassCounts[c] > byClass[c].length) {
                throw new IllegalArgumentException("ClassBalance.subsample: class " + c + " has " + byClass[c].length
                        + " examples, cannot keep " + perClassCounts[c] + " (counts " + Arrays.toString(perClassCounts)
                        + ", available " + Arrays.toString(data.classCounts()) + ")");
            }
            total += perClassCounts[c];
        }
        int[] kept = new int[total];
        int at = 0;
        for (int c = 0; c < byClass.length; c++) {
            // One split stream per class: a class's draw does not depend on the other classes' counts.
            Rng classRng = rng.split();
            int[] order = classRng.permutation(byClass[c].length);
            for (int i = 0; i < perClassCounts[c]; i++) {
                kept[at++] = byClass[c][order[i]];
            }
        }
        Arrays.sort(kept);
        return data.subset(kept);
    }

    /**
     * About {@code fractions[c]} of each class c: round(fractions[c] * n_c) examples, drawn as by
     * {@link #subsample}. Fractions lie in [0, 1], one per class.
     */
    public static Dataset subsampleFractions(Dataset data, double[] fractions, Rng rng) {
        int[] available = data.classCounts();
        if (fractions.length != available.length) {
            throw new IllegalArgumentException("ClassBalance.subsampleFractions: expected " + available.length
                    + " fractions (one per class), got " + fractions.length);
        }
        int[] counts = new int[available.length];
        for (int c = 0; c < counts.length; c++) {
            if (!(fractions[c] >= 0 && fractions[c] <= 1)) {
                throw new IllegalArgumentException("ClassBalance.subsampleFractions: fraction " + fractions[c]
                        + " of class " + c + " is not in [0, 1]");
            }
            counts[c] = (int) Math.round(fractions[c] * available[c]);
        }
        return subsample(data, counts, rng);
    }

    /** {@code perClass} examples of every class, drawn as by {@link #subsample}: a balanced set. */
    public static Dataset balanced(Dataset data, int perClass, Rng rng) {
        int[] counts = new int[data.classes()];
        Arrays.fill(counts, perClass);
        return subsample(data, counts, rng);
    }

    /**
     * The long-tail profile of Cui et al. (2019): class c gets round(largest * ratio^(-c / (C - 1)))
     * examples, so class 0 has {@code largest} and the last class {@code largest / ratio}. A
     * ratio of 1 gives equal counts; pass the result to {@link #subsample}.
     */
    public static int[] exponentialProfile(int classes, int largest, double imbalanceRatio) {
        if (classes < 1 || largest < 0) {
            throw new IllegalArgumentException("ClassBalance.exponentialProfile: needs classes >= 1 and largest >= 0, got "
                    + classes + " classes and largest " + largest);
        }
        if (!(imbalanceRatio >= 1) || Double.isInfinite(imbalanceRatio)) {
            throw new IllegalArgumentException("ClassBalance.exponentialProfile: the imbalance ratio (largest class over"
                    + " smallest) must be finite and at least 1, got " + imbalanceRatio);
        }
        int[] counts = new int[classes];
        for (int c = 0; c < classes; c++) {
            double exponent = classes == 1 ? 0 : -(double) c / (classes - 1);
            counts[c] = (int) Math.round(largest * Math.pow(imbalanceRatio, exponent));
        }
        return counts;
    }
}
