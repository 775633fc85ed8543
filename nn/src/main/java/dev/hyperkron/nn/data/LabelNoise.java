package dev.hyperkron.nn.data;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/**
 * Synthetic label noise for data hypercleaning: a fraction of the labels is replaced by random
 * classes, reproducibly from a seeded {@link Rng}. The result carries the mask of corrupted
 * examples, the ground truth against which a cleaning method's learned weights are scored.
 *
 * @param rate        the fraction of examples to corrupt, in [0, 1]
 * @param selection   how the positions to corrupt are chosen
 * @param replacement how a selected position's new label is drawn
 */
public record LabelNoise(double rate, Selection selection, Replacement replacement) {

    /** How the positions whose labels are redrawn are chosen. */
    public enum Selection {
        /** Exactly round(rate * N) positions: the first ones of a seeded random permutation. */
        EXACT_FRACTION,
        /** Each position independently with probability {@code rate}. */
        INDEPENDENT
    }

    /** How a selected position's new label is drawn. */
    public enum Replacement {
        /** Uniform over all classes: the original class comes back with probability 1 / classes. */
        ANY_CLASS,
        /** Uniform over the other classes: every selected label changes. */
        OTHER_CLASS
    }

    public LabelNoise {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("LabelNoise: rate must be in [0, 1], got " + rate);
        }
        if (selection == null || replacement == null) {
            throw new IllegalArgumentException("LabelNoise: selection and replacement are required");
        }
    }

    /** The usual hypercleaning noise: exactly round(rate * N) positions get a label uniform over all classes. */
    public static LabelNoise uniform(double rate) {
        return new LabelNoise(rate, Selection.EXACT_FRACTION, Replacement.ANY_CLASS);
    }

    public LabelNoise withSelection(Selection newSelection) {
        return new LabelNoise(rate, newSelection, replacement);
    }

    public LabelNoise withReplacement(Replacement newReplacement) {
        return new LabelNoise(rate, selection, newReplacement);
    }

    /**
     * Corrupts the labels of {@code data}. Draws, in order: the selection (a permutation of the
     * positions, or one uniform per position), then one class per selected position in
     * increasing position order. The same rng state always gives the same result.
     */
    public NoisyLabels apply(Dataset data, Rng rng) {
        int classes = data.classes();
        if (replacement == Replacement.OTHER_CLASS && classes < 2 && rate > 0) {
            throw new IllegalArgumentException("LabelNoise: OTHER_CLASS needs at least 2 classes, the data set has " + classes);
        }
        int n = data.size();
        boolean[] selected = select(n, rng);
        long[] labels = data.labels().toLongArray();
        byte[] selectedMask = new byte[n];
        byte[] corruptedMask = new byte[n];
        for (int i = 0; i < n; i++) {
            if (!selected[i]) {
                continue;
            }
            int original = (int) labels[i];
            int drawn = replacement == Replacement.ANY_CLASS ? rng.nextInt(classes) : otherClass(original, classes, rng);
            labels[i] = drawn;
            selectedMask[i] = 1;
            corruptedMask[i] = (byte) (drawn != original ? 1 : 0);
        }
        return new NoisyLabels(data.withLabels(Tensor.of(labels)), Tensor.of(selectedMask), Tensor.of(corruptedMask));
    }

    private boolean[] select(int n, Rng rng) {
        boolean[] selected = new boolean[n];
        if (selection == Selection.EXACT_FRACTION) {
            int[] order = rng.permutation(n);
            int k = (int) Math.round(rate * n);
            for (int i = 0; i < k; i++) {
                selected[order[i]] = true;
            }
        } else {
            for (int i = 0; i < n; i++) {
                selected[i] = rng.nextDouble() < rate;
            }
        }
        return selected;
    }

    private static int otherClass(int original, int classes, Rng rng) {
        int r = rng.nextInt(classes - 1);
        return r >= original ? r + 1 : r;
    }
}
