package dev.hyperkron.nn.data;

import dev.hyperkron.core.Tensor;

/**
 * The outcome of {@link LabelNoise#apply}: the data set with noisy labels and two 0/1 masks
 * (U8 [N], aligned with the data set's positions). {@code corrupted} marks the examples whose
 * label actually changed, the ground truth for scoring a cleaning method; {@code selected}
 * marks the positions that were redrawn, a superset when the draw may return the original
 * class. Cast a mask to F32 to use it as weights.
 *
 * @param dataset   the examples with noisy labels (features and indices unchanged)
 * @param selected  1 where the label was redrawn
 * @param corrupted 1 where the label differs from the original
 */
public record NoisyLabels(Dataset dataset, Tensor selected, Tensor corrupted) {

    /** Number of examples whose label changed. */
    public int corruptedCount() {
        return count(corrupted);
    }

    /** Number of examples whose label was redrawn. */
    public int selectedCount() {
        return count(selected);
    }

    private static int count(Tensor mask) {
        int n = 0;
        for (byte b : (byte[]) mask.storage().array()) {
            n += b;
        }
        return n;
    }
}
