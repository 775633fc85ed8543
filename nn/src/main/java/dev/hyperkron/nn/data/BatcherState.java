package dev.hyperkron.nn.data;

import java.util.Arrays;

/**
 * Everything a {@link Batcher} needs to continue with exactly the same batches: the random state
 * from which the current epoch was shuffled and the position within that epoch, plus the
 * configuration it belongs to so that a state cannot silently resume a different batcher.
 * {@link #toLongs()} gives a flat form to store in a checkpoint (for instance as an I64 tensor).
 */
public final class BatcherState {
    private static final int LENGTH = 7;

    private final int datasetSize;
    private final int batchSize;
    private final boolean dropLast;
    private final long[] epochRngState;
    private final long epochsStarted;
    private final int batchInEpoch;

    BatcherState(int datasetSize, int batchSize, boolean dropLast, long[] epochRngState, long epochsStarted,
            int batchInEpoch) {
        if (epochRngState.length != 2 || epochsStarted < 0 || batchInEpoch < 0) {
            throw new IllegalArgumentException("BatcherState: invalid state (rng state of " + epochRngState.length
                    + " longs, " + epochsStarted + " epochs started, batch " + batchInEpoch + ")");
        }
        this.datasetSize = datasetSize;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.epochRngState = epochRngState.clone();
        this.epochsStarted = epochsStarted;
        this.batchInEpoch = batchInEpoch;
    }

    /** Restores the form written by {@link #toLongs()}. */
    public static BatcherState fromLongs(long[] values) {
        if (values == null || values.length != LENGTH) {
            throw new IllegalArgumentException("BatcherState.fromLongs: expected " + LENGTH + " values, got "
                    + (values == null ? "null" : values.length));
        }
        return new BatcherState((int) values[0], (int) values[1], values[2] != 0, new long[] {values[3], values[4]},
                values[5], (int) values[6]);
    }

    /** [datasetSize, batchSize, dropLast (0/1), rng seed, rng gamma, epochs started, batch in epoch]. */
    public long[] toLongs() {
        return new long[] {datasetSize, batchSize, dropLast ? 1 : 0, epochRngState[0], epochRngState[1], epochsStarted,
                batchInEpoch};
    }

    public int datasetSize() {
        return datasetSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The Rng state from which the current epoch's order was drawn (the next epoch's, before any). */
    public long[] epochRngState() {
        return epochRngState.clone();
    }

    /** Number of epochs begun so far (0 before the first batch). */
    public long epochsStarted() {
        return epochsStarted;
    }

    /** Number of batches already drawn from the current epoch. */
    public int batchInEpoch() {
        return batchInEpoch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatcherState s && Arrays.equals(toLongs(), s.toLongs());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toLongs());
    }

    @Override
    public String toString() {
        return "BatcherState" + Arrays.toString(toLongs());
    }
}
