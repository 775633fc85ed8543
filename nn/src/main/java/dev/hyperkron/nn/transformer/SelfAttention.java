package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Dropout;
import dev.hyperkron.nn.layers.Linear;

/**
 * Multi-head scaled dot-product self-attention, BERT's {@code attention.self}: the query, key
 * and value projections (three Linear layers, each visible to KFAC over the sequence axis),
 * softmax(Q K^T / sqrt(d)) V per head with padded keys masked out, heads concatenated. Input and
 * output are [N, T, hidden]; the mask of real positions comes from {@link Context#positionMask}
 * (all positions are real without one). Padded queries still produce outputs, which no real
 * position ever attends to.
 */
public final class SelfAttention implements Module {
    private final int hidden;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Dropout probabilityDropout;

    /** {@code hidden} must be a multiple of {@code heads}; dropout applies to the attention probabilities. */
    public SelfAttention(int hidden, int heads, double dropout) {
        if (heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException("SelfAttention: hidden size " + hidden + " is not a multiple of " + heads
                    + " heads");
        }
        this.hidden = hidden;
        this.heads = heads;
        this.query = new Linear(hidden, hidden);
        this.key = new Linear(hidden, hidden);
        this.value = new Linear(hidden, hidden);
        this.probabilityDropout = new Dropout(dropout);
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return query.init(rng, dtype).prefixed("query")
                .merge(key.init(rng, dtype).prefixed("key"))
                .merge(value.init(rng, dtype).prefixed("value"));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (input.rank() != 3 || input.dim(2) != hidden) {
            throw new IllegalArgumentException("SelfAttention(" + hidden + ") at '" + ctx.path() + "': expected [N, T, "
                    + hidden + "], got " + input.shape());
        }
        int n = input.dim(0);
        int t = input.dim(1);
        int d = hidden / heads;
        Var q = splitHeads(query.apply(params.child("query"), input, ctx.child("query")), n, t, d);
        Var k = splitHeads(key.apply(params.child("key"), input, ctx.child("key")), n, t, d);
        Var v = splitHeads(value.apply(params.child("value"), input, ctx.child("value")), n, t, d);
        Var scores = q.matmul(k, false, true).mul(1.0 / Math.sqrt(d)); // [N, heads, T, T]
        Tensor mask = ctx.positionMask();
        if (mask != null) {
            scores = scores.add(Var.constant(keyBias(mask, input.dtype(), n, t)));
        }
        Var probabilities = probabilityDropout.apply(Params.empty(), scores.softmax(-1), ctx);
        return probabilities.matmul(v).permute(0, 2, 1, 3).reshape(n, t, hidden);
    }

    // [N, T, hidden] -> [N, heads, T, d]
    private Var splitHeads(Var x, int n, int t, int d) {
        return x.reshape(n, t, heads, d).permute(0, 2, 1, 3);
    }

    // [N, 1, 1, T]: 0 for a real key, the most negative finite value for a padded one (softmax weight exactly 0).
    private static Tensor keyBias(Tensor mask, DType dtype, int n, int t) {
        if (mask.dim(0) != n || mask.dim(1) != t) {
            throw new IllegalArgumentException("SelfAttention: position mask " + mask.shape() + " does not fit the input ["
                    + n + ", " + t + ", ...]");
        }
        double lowest = dtype == DType.F32 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
        return mask.cast(dtype).eq(0).mul(lowest).reshape(n, 1, 1, t);
    }
}
