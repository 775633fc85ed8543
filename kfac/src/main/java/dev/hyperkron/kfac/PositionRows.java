package dev.hyperkron.kfac;

import dev.hyperkron.core.Tensor;

/**
 * What one layer reported for one batch: rows [N, P, d] over the examples and the positions
 * that share the layer's weight (sequence tokens, conv patches), and which positions are real.
 * Padded positions of a sequence batch are not data, so every statistic below leaves them out.
 *
 * @param rows the layer inputs or output gradients, [N, P, d]
 * @param mask [N, P] with 1 at real positions and 0 at padding, or null when all are real
 */
record PositionRows(Tensor rows, Tensor mask) {

    PositionRows {
        if (rows.rank() != 3) {
            throw new IllegalArgumentException("position rows are [N, P, d], got " + rows.shape());
        }
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != rows.dim(0) || mask.dim(1) != rows.dim(1))) {
            throw new IllegalArgumentException("a position mask for rows " + rows.shape() + " must be ["
                    + rows.dim(0) + ", " + rows.dim(1) + "], got " + mask.shape());
        }
    }

    /** Rows with every position of every example real. */
    static PositionRows dense(Tensor rows) {
        return new PositionRows(rows, null);
    }

    int width() {
        return rows.dim(2);
    }

    /** Every real position as its own row, [M, d] (weight sharing EXPAND). */
    Tensor expanded() {
        Tensor flat = rows.reshape(-1, width());
        return mask == null ? flat : flat.indexSelect(0, realPositions());
    }

    /** Each example's mean over its real positions, [N, d] (REDUCE for the inputs). */
    Tensor meanOverPositions() {
        if (mask == null) {
            return rows.mean(1, false);
        }
        Tensor counts = mask.sum(1, true).cast(rows.dtype());
        if (counts.min().item() == 0) {
            throw new IllegalArgumentException("a sequence in the batch has no real position (its mask is all zero)");
        }
        return zeroPadded().sum(1, false).div(counts);
    }

    /** Each example's sum over its real positions, [N, d] (REDUCE for the output gradients). */
    Tensor sumOverPositions() {
        return zeroPadded().sum(1, false);
    }

    /** The rows with padded positions set to zero, [N, P, d]. */
    Tensor zeroPadded() {
        return mask == null ? rows : rows.mul(mask.cast(rows.dtype()).reshape(mask.dim(0), mask.dim(1), 1));
    }

    // Flat indices n * P + t of the real positions, in order.
    private Tensor realPositions() {
        double[] m = mask.toDoubleArray();
        long[] index = new long[m.length];
        int count = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                index[count++] = i;
            }
        }
        return Tensor.of(java.util.Arrays.copyOf(index, count), count);
    }
}
