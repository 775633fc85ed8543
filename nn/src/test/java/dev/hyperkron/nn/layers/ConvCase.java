package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.normal;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;

/** A random valid convolution: geometry, channels and an input size the dilated kernel fits. */
record ConvCase(int batch, int inChannels, int outChannels, int groups, ConvGeometry geometry, int height, int width,
                boolean bias) {
    static ConvCase draw(Rng rng) {
        int groups = 1 + rng.nextInt(3);
        ConvGeometry g = new ConvGeometry(1 + rng.nextInt(3), 1 + rng.nextInt(3), 1 + rng.nextInt(2),
                1 + rng.nextInt(3), rng.nextInt(3), rng.nextInt(2), 1 + rng.nextInt(2), 1 + rng.nextInt(2));
        int spanH = g.dilationH() * (g.kernelH() - 1) + 1;
        int spanW = g.dilationW() * (g.kernelW() - 1) + 1;
        int height = Math.max(1, spanH - 2 * g.padH()) + rng.nextInt(4);
        int width = Math.max(1, spanW - 2 * g.padW()) + rng.nextInt(4);
        return new ConvCase(1 + rng.nextInt(2), groups * (1 + rng.nextInt(2)), groups * (1 + rng.nextInt(2)), groups,
                g, height, width, rng.nextInt(2) == 0);
    }

    Conv2d layer() {
        return new Conv2d(inChannels, outChannels, geometry, groups, bias);
    }

    Tensor input(Rng rng) {
        return normal(rng, batch, inChannels, height, width);
    }
}
