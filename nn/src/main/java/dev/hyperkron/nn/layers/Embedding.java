package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/** Looks up rows of a [count, dim] table (standard normal at init) for integer token ids of any shape. */
public final class Embedding implements Module {
    private final int count;
    private final int dim;

    public Embedding(int count, int dim) {
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got " + count + " x " + dim);
        }
        this.count = count;
        this.dim = dim;
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return Params.single("weight", Var.leaf(Tensor.randn(rng, dtype, count, dim)));
    }

    /** input: an integer tensor of ids in [0, count); output: input's shape plus [dim]. */
    @Override
    public Var apply(Params params, Var input, Context ctx) {
        Tensor ids = input.value();
        if (ids.dtype().isFloating()) {
            throw new IllegalArgumentException("Embedding at '" + ctx.path() + "' needs integer ids, got " + ids.dtype());
        }
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.storage().getLong(i);
            if (id < 0 || id >= count) {
                throw new IllegalArgumentException("Embedding(" + count + " x " + dim + ") at '" + ctx.path() + "': id " + id
                        + " at flat position " + i + " of ids " + ids.shape() + " is outside [0, " + count + ")");
            }
        }
        int[] dims = java.util.Arrays.copyOf(ids.shape().dims(), ids.rank() + 1);
        dims[ids.rank()] = dim;
        return params.get("weight").indexSelect(0, ids.flatten()).reshape(dims);
    }
}
