package dev.hyperkron.nn.data;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Draws shuffled mini-batches from a data set, epoch after epoch, from a seeded {@link Rng}:
 * each epoch is a fresh random order that visits every example once (the last, smaller batch
 * dropped when asked). {@link #next()} never runs out, which suits bilevel roles that draw
 * batches forever; {@link #epoch()} iterates one epoch. {@link #state()} and
 * {@link #restore} let a checkpointed run resume with exactly the same batches.
 * Not thread-safe.
 */
public final class Batcher {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean dropLast;
    private final int batchesPerEpoch;

    private Rng rng;
    private long[] epochRngState;
    private int[] order;
    private long epochsStarted;
    private int batchInEpoch;

    /**
     * A batcher over {@code dataset} that draws its shuffles from {@code rng} (and advances it:
     * pass a {@link Rng#split()} of the run's generator).
     */
    public Batcher(Dataset dataset, int batchSize, boolean dropLast, Rng rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batcher: batch size must be positive, got " + batchSize);
        }
        int n = dataset.size();
        this.batchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        if (batchesPerEpoch == 0) {
            throw new IllegalArgumentException("Batcher: " + n + " examples give no batch of size " + batchSize
                    + (dropLast ? " with drop-last" : ""));
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.rng = rng;
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** Batches in one epoch: N / B rounded down with drop-last, up without. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The next batch, beginning a newly shuffled epoch when the current one is exhausted. */
    public Batch next() {
        if (epochsStarted == 0 || batchInEpoch == batchesPerEpoch) {
            beginEpoch();
        }
        int from = batchInEpoch * batchSize;
        int[] positions = Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length));
        Dataset part = dataset.subset(positions);
        long[] positionValues = new long[positions.length];
        for (int i = 0; i < positions.length; i++) {
            positionValues[i] = positions[i];
        }
        Batch batch = new Batch(part.features(), part.labels(), part.indices(), Tensor.of(positionValues),
                epochsStarted - 1, batchInEpoch);
        batchInEpoch++;
        return batch;
    }

    /**
     * The batches up to the end of the current epoch; when that epoch is complete (or none has
     * begun), a newly shuffled one. After {@link #restore} in the middle of an epoch this yields
     * the rest of that epoch, as the interrupted run would have.
     */
    public Iterable<Batch> epoch() {
        if (epochsStarted == 0 || batchInEpoch == batchesPerEpoch) {
            beginEpoch();
        }
        long current = epochsStarted;
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return epochsStarted == current && batchInEpoch < batchesPerEpoch;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("Batcher: epoch " + (current - 1) + " is over");
                }
                return Batcher.this.next();
            }
        };
    }

    /** The position in the stream of batches, to be restored with {@link #restore}. */
    public BatcherState state() {
        return new BatcherState(dataset.size(), batchSize, dropLast, epochsStarted == 0 ? rng.state() : epochRngState,
                epochsStarted, batchInEpoch);
    }

    /** Continues from a state captured by a batcher with the same data set size, batch size and drop-last. */
    public void restore(BatcherState state) {
        if (state.datasetSize() != dataset.size() || state.batchSize() != batchSize || state.dropLast() != dropLast) {
            throw new IllegalArgumentException("Batcher.restore: the state belongs to a batcher over "
                    + state.datasetSize() + " examples with batch size " + state.batchSize() + ", drop-last "
                    + state.dropLast() + "; this one has " + dataset.size() + ", " + batchSize + ", " + dropLast);
        }
        boolean started = state.epochsStarted() > 0;
        if (state.batchInEpoch() > (started ? batchesPerEpoch : 0)) {
            throw new IllegalArgumentException("Batcher.restore: batch " + state.batchInEpoch() + " of "
                    + state.epochsStarted() + " started epochs is impossible with " + batchesPerEpoch + " batches per epoch");
        }
        rng = Rng.fromState(state.epochRngState());
        epochsStarted = state.epochsStarted();
        batchInEpoch = state.batchInEpoch();
        if (started) {
            epochRngState = state.epochRngState();
            order = rng.permutation(dataset.size());
        } else {
            epochRngState = null;
            order = null;
        }
    }

    private void beginEpoch() {
        epochRngState = rng.state();
        order = rng.permutation(dataset.size());
        epochsStarted++;
        batchInEpoch = 0;
    }
}
