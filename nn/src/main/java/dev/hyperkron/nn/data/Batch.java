package dev.hyperkron.nn.data;

import dev.hyperkron.core.Tensor;

/**
 * One mini-batch drawn by a {@link Batcher}. {@code positions} index the batcher's data set (to
 * pick per-example weights of that set); {@code indices} are the examples' source indices.
 *
 * @param features     features [B, ...]
 * @param labels       labels, I64 [B]
 * @param indices      source indices of the examples, I64 [B]
 * @param positions    positions of the examples in the batcher's data set, I64 [B]
 * @param epoch        the epoch this batch belongs to, counted from 0
 * @param batchInEpoch the batch's number within its epoch, counted from 0
 */
public record Batch(Tensor features, Tensor labels, Tensor indices, Tensor positions, long epoch, int batchInEpoch) {

    /** Number of examples in the batch. */
    public int size() {
        return labels.size();
    }
}
