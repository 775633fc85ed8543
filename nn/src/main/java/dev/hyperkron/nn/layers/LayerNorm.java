package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/** Normalizes the last axis to zero mean and unit variance, then scales and shifts (weight 1, bias 0 at init). */
public final class LayerNorm implements Module {
    private final int features;
    private final double eps;

    public LayerNorm(int features, double eps) {
        if (features < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs features >= 1 and eps > 0, got " + features + ", " + eps);
        }
        this.features = features;
        this.eps = eps;
    }

    public LayerNorm(int features) {
        this(features, 1e-5);
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return Params.single("weight", Var.leaf(Tensor.ones(dtype, features)))
                .merge(Params.single("bias", Var.leaf(Tensor.zeros(dtype, features))));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (input.rank() < 1 || input.dim(-1) != features) {
            throw new IllegalArgumentException("LayerNorm(" + features + ") at '" + ctx.path() + "': input shape "
                    + input.shape() + " does not end in " + features);
        }
        Var centered = input.sub(input.mean(-1, true));
        Var variance = centered.square().mean(-1, true);
        Var normalized = centered.div(variance.add(eps).sqrt());
        return normalized.mul(params.get("weight")).add(params.get("bias"));
    }
}
