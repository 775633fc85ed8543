package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.text.BatchEncoding;

/**
 * A padded batch of sequences as one tensor [N, T, F + 1]: the F features of every position
 * followed by a mask channel, 1 at real positions and 0 at padding. Packing the mask with the
 * features lets sequence data flow through everything that takes a plain input tensor
 * (datasets, batchers, loss batches, cached activations) and keeps the two from ever being
 * batched apart. Token batches carry F = 2 features (token id, token type id); hidden states
 * carry F = hidden size.
 */
public final class PaddedSequences {

    private PaddedSequences() {
    }

    /** Features [N, T, F] and mask [N, T] (any numeric dtype, 0 or 1) packed as [N, T, F + 1] in the features' dtype. */
    public static Tensor pack(Tensor features, Tensor mask) {
        if (features.rank() != 3 || mask.rank() != 2 || mask.dim(0) != features.dim(0) || mask.dim(1) != features.dim(1)) {
            throw new IllegalArgumentException("PaddedSequences: features must be [N, T, F] and the mask [N, T], got "
                    + features.shape() + " and " + mask.shape());
        }
        if (!features.dtype().isFloating()) {
            throw new IllegalArgumentException("PaddedSequences: features must be F32 or F64, got " + features.dtype());
        }
        for (double v : mask.toDoubleArray()) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("PaddedSequences: the mask must hold only 0 (padding) and 1 (real "
                        + "position), found " + v);
            }
        }
        Tensor m = mask.cast(features.dtype());
        return Tensor.concat(2, features, m.reshape(m.dim(0), m.dim(1), 1));
    }

    /** A tokenized batch as [N, T, 3] F32: token id, token type id, mask (ids are exact in F32 below 2^24). */
    public static Tensor of(BatchEncoding batch) {
        int n = batch.ids().dim(0);
        int t = batch.ids().dim(1);
        Tensor tokens = Tensor.concat(2, batch.ids().cast(DType.F32).reshape(n, t, 1),
                batch.typeIds().cast(DType.F32).reshape(n, t, 1));
        return pack(tokens, batch.attentionMask());
    }

    /** The mask channel of a packed batch, [N, T]. */
    public static Tensor mask(Tensor packed) {
        requirePacked(packed);
        int f = packed.dim(2) - 1;
        return packed.slice(2, f, f + 1).reshape(packed.dim(0), packed.dim(1));
    }

    /** The features of a packed batch, [N, T, F], as part of the graph. */
    public static Var features(Var packed) {
        requirePacked(packed.value());
        return packed.slice(2, 0, packed.dim(2) - 1);
    }

    /** The features of a packed batch, [N, T, F]. */
    public static Tensor features(Tensor packed) {
        requirePacked(packed);
        return packed.slice(2, 0, packed.dim(2) - 1);
    }

    /**
     * Positions after the last real one of every sequence carry no information: the length up
     * to and including the last real position in the batch (at least 1).
     */
    public static int usedLength(Tensor mask) {
        double[] m = mask.toDoubleArray();
        int t = mask.dim(1);
        int used = 1;
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                used = Math.max(used, i % t + 1);
            }
        }
        return used;
    }

    private static void requirePacked(Tensor packed) {
        if (packed.rank() != 3 || packed.dim(2) < 2) {
            throw new IllegalArgumentException("a padded sequence batch is [N, T, features + 1 (the mask)], got "
                    + packed.shape());
        }
    }
}
