package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;

/** Inverted dropout: in training, zeroes elements with probability p and scales the rest by 1/(1-p). */
public final class Dropout implements Parameterless {
    private final double p;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (!ctx.training() || p == 0) {
            return input;
        }
        Tensor keep = Tensor.rand(ctx.rng(), input.dtype(), input.shape().dims()).gt(p).div(1 - p);
        return input.mul(Var.constant(keep));
    }
}
