package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;

/** Average pooling over [N, C, H, W] windows (padded zeros count, PyTorch's default). */
public final class AvgPool2d implements Parameterless {
    private final ConvGeometry geometry;

    public AvgPool2d(ConvGeometry geometry) {
        this.geometry = geometry;
    }

    /** Square window with stride equal to its size. */
    public AvgPool2d(int kernel) {
        this(ConvGeometry.square(kernel, kernel, 0, 1));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return input.avgPool2d(geometry);
    }
}
