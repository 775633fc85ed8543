package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;

/** Max pooling over [N, C, H, W] windows. */
public final class MaxPool2d implements Parameterless {
    private final ConvGeometry geometry;

    public MaxPool2d(ConvGeometry geometry) {
        this.geometry = geometry;
    }

    /** Square window with stride equal to its size, as PyTorch's MaxPool2d(k). */
    public MaxPool2d(int kernel) {
        this(ConvGeometry.square(kernel, kernel, 0, 1));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return input.maxPool2d(geometry);
    }
}
