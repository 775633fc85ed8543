package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/**
 * 2-D convolution of [N, C, H, W] by im2col and a matrix product, with weight
 * [outChannels, inChannels / groups, kH, kW] (PyTorch layout). With one group it reports the
 * unfolded patches and the output gradient to the context's LayerObserver for KFAC.
 */
public final class Conv2d implements Module {
    private final int inChannels;
    private final int outChannels;
    private final ConvGeometry geometry;
    private final int groups;
    private final boolean bias;

    public Conv2d(int inChannels, int outChannels, ConvGeometry geometry, int groups, boolean bias) {
        if (inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: channels (" + inChannels + " -> " + outChannels
                    + ") must be positive and divisible by groups (" + groups + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.geometry = geometry;
        this.groups = groups;
        this.bias = bias;
    }

    /** Square kernel, given stride and padding, no dilation, one group, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, ConvGeometry.square(kernel, stride, padding, 1), 1, true);
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Weight and bias uniform in +-1/sqrt(fan_in), fan_in = inChannels / groups * kH * kW (PyTorch's default). */
    @Override
    public Params init(Rng rng, DType dtype) {
        int fanIn = inChannels / groups * geometry.taps();
        double bound = 1.0 / Math.sqrt(fanIn);
        Params p = Params.single("weight", Var.leaf(Tensor.uniform(rng, dtype, -bound, bound,
                outChannels, inChannels / groups, geometry.kernelH(), geometry.kernelW())));
        return bias ? p.merge(Params.single("bias", Var.leaf(Tensor.uniform(rng, dtype, -bound, bound, outChannels)))) : p;
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (input.rank() != 4 || input.dim(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + " -> " + outChannels + ") at '" + ctx.path()
                    + "': expected input [N, " + inChannels + ", H, W], got " + input.shape());
        }
        int n = input.dim(0);
        int outH = geometry.outHeight(input.dim(2));
        int outW = geometry.outWidth(input.dim(3));
        Var weight = params.get("weight");
        Var y = groups == 1 ? singleGroup(input, weight, ctx) : grouped(input, weight);
        if (bias) {
            y = y.add(params.get("bias").reshape(outChannels, 1));
        }
        return y.reshape(n, outChannels, outH, outW);
    }

    // [N, C*kH*kW, L] patches times the [outC, C*kH*kW] weight matrix: [N, outC, L].
    private Var singleGroup(Var input, Var weight, Context ctx) {
        Var patches = input.unfold(geometry);
        LayerObserver observer = ctx.observer();
        if (observer == null) {
            return weight.reshape(outChannels, -1).matmul(patches);
        }
        CapturedLayer layer = new CapturedLayer(ctx.path(), CapturedLayer.Kind.CONV2D,
                Params.join(ctx.path(), "weight"), bias ? Params.join(ctx.path(), "bias") : null,
                inChannels * geometry.taps(), outChannels, geometry);
        observer.onInput(layer, patches.value(), null);
        Var y = weight.reshape(outChannels, -1).matmul(patches);
        observer.onOutput(layer, y);
        return y.tapGradient(g -> observer.onOutputGradient(layer, g));
    }

    private Var grouped(Var input, Var weight) {
        int inPer = inChannels / groups;
        int outPer = outChannels / groups;
        Var[] outputs = new Var[groups];
        for (int g = 0; g < groups; g++) {
            Var patches = input.slice(1, g * inPer, (g + 1) * inPer).unfold(geometry);
            Var w = weight.slice(0, g * outPer, (g + 1) * outPer).reshape(outPer, -1);
            outputs[g] = w.matmul(patches);
        }
        return Var.concat(1, outputs);
    }
}
