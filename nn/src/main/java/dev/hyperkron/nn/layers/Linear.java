package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.FusedActivation;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/**
 * y = x W^T + b with W of shape [out, in] (PyTorch layout), applied to the last axis of x,
 * so it also maps sequences [N, T, in], as one op with the bias added to the product in place.
 * Reports to the context's LayerObserver for KFAC.
 */
public final class Linear implements Module {
    private final int in;
    private final int out;
    private final boolean bias;

    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    /** Weight and bias uniform in +-1/sqrt(in), PyTorch's default. */
    @Override
    public Params init(Rng rng, DType dtype) {
        double bound = 1.0 / Math.sqrt(in);
        Params p = Params.single("weight", Var.leaf(Tensor.uniform(rng, dtype, -bound, bound, out, in)));
        return bias ? p.merge(Params.single("bias", Var.leaf(Tensor.uniform(rng, dtype, -bound, bound, out)))) : p;
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return apply(params, input, ctx, FusedActivation.IDENTITY);
    }

    /**
     * This layer followed by an activation, as one fused op ({@link Var#linear}) unless the
     * context observes layers for curvature: the observer needs the pre-activation as a Var of
     * its own, so then the activation is applied after it as a separate op.
     */
    public Var apply(Params params, Var input, Context ctx, FusedActivation activation) {
        // Leading axes are examples (and positions) for curvature capture, so a lone vector is refused.
        if (input.rank() < 2 || input.dim(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + " -> " + out + ") at '" + ctx.path()
                    + "': expected input [N, " + in + "] or [N, ..., " + in + "], got " + input.shape());
        }
        LayerObserver observer = ctx.observer();
        CapturedLayer layer = observer == null ? null : captured(ctx.path());
        if (observer != null) {
            observer.onInput(layer, input.value(), positionMask(input, ctx));
        }
        Var b = bias ? params.get("bias") : null;
        if (observer == null) {
            return input.linear(params.get("weight"), b, activation);
        }
        Var z = input.linear(params.get("weight"), b, FusedActivation.IDENTITY);
        observer.onOutput(layer, z);
        return activation.apply(z.tapGradient(g -> observer.onOutputGradient(layer, g)));
    }

    // The context's mask applies to inputs laid out [N, T, in] over its positions (not to pooled [N, in]).
    private Tensor positionMask(Var input, Context ctx) {
        Tensor mask = ctx.positionMask();
        if (mask == null || input.rank() != 3) {
            return null;
        }
        if (mask.dim(0) != input.dim(0) || mask.dim(1) != input.dim(1)) {
            throw new IllegalArgumentException("Linear at '" + ctx.path() + "': input " + input.shape()
                    + " does not match the sequence batch's position mask " + mask.shape());
        }
        return mask;
    }

    private CapturedLayer captured(String path) {
        return new CapturedLayer(path, CapturedLayer.Kind.LINEAR, Params.join(path, "weight"),
                bias ? Params.join(path, "bias") : null, in, out, null);
    }
}
