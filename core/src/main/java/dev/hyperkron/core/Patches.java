package dev.hyperkron.core;

import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.TypedKernels;

/** Sliding-window ops on [N, C, H, W] images: im2col (unfold), col2im (fold) and pooling. */
final class Patches {
    private Patches() {
    }

    static Tensor unfold(Tensor x, ConvGeometry g) {
        TypedKernels<Object> k = Elementwise.kernels("unfold", x);
        requireImages("unfold", x);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int l = outHeight("unfold", x.shape(), h, g) * outWidth("unfold", x.shape(), w, g);
        int rows = c * g.taps();
        Tensor out = Tensor.output(x.device(), x.dtype(), Shape.of(n, rows, l));
        Object src = x.storage().buffer();
        Object dst = out.storage().buffer();
        // Consecutive images are one image with their channels stacked, whose columns are the images' columns
        // stacked: one call per range of images (on a device, one launch for the batch).
        Devices.forRange(x.device(), n, 1, 1, (from, to) ->
                k.im2col(src, from * c * h * w, (to - from) * c, h, w, g, dst, from * rows * l));
        return out;
    }

    static Tensor fold(Tensor cols, int height, int width, ConvGeometry g) {
        TypedKernels<Object> k = Elementwise.kernels("fold", cols);
        if (cols.rank() != 3 || cols.dim(1) % g.taps() != 0) {
            throw ShapeException.of("fold", "expected [N, C * " + g.kernelH() + " * " + g.kernelW() + ", L]", cols.shape());
        }
        int l = outHeight("fold", cols.shape(), height, g) * outWidth("fold", cols.shape(), width, g);
        if (cols.dim(2) != l) {
            throw ShapeException.of("fold", "L = " + cols.dim(2) + " but a " + height + "x" + width
                    + " image has " + l + " windows", cols.shape());
        }
        int n = cols.dim(0);
        int c = cols.dim(1) / g.taps();
        Tensor out = Tensor.zeros(cols.device(), cols.dtype(), Shape.of(n, c, height, width));
        Object src = cols.storage().buffer();
        Object dst = out.storage().buffer();
        int rows = cols.dim(1);
        // As in unfold: a range of images is one image with their channels stacked.
        Devices.forRange(cols.device(), n, 1, 1, (from, to) ->
                k.col2im(src, from * rows * l, (to - from) * c, height, width, g, dst, from * c * height * width));
        return out;
    }

    static Tensor maxPoolIndices(Tensor x, ConvGeometry g) {
        TypedKernels<Object> k = Elementwise.kernels("maxPool2d", x);
        requireImages("maxPool2d", x);
        if (2 * g.padH() > g.kernelH() || 2 * g.padW() > g.kernelW()) {
            throw new IllegalArgumentException("maxPool2d: padding " + g.padH() + "x" + g.padW()
                    + " must be at most half the kernel " + g.kernelH() + "x" + g.kernelW());
        }
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outHeight("maxPool2d", x.shape(), h, g);
        int ow = outWidth("maxPool2d", x.shape(), w, g);
        // A window that sees only padding has no maximum (and no index to route a gradient to).
        int emptyRow = firstWindowWithoutInput(h, oh, g.kernelH(), g.strideH(), g.padH(), g.dilationH());
        int emptyCol = firstWindowWithoutInput(w, ow, g.kernelW(), g.strideW(), g.padW(), g.dilationW());
        if (emptyRow >= 0 || emptyCol >= 0) {
            throw new IllegalArgumentException("maxPool2d: " + (emptyRow >= 0 ? "output row " + emptyRow : "output column "
                    + emptyCol) + " has a window that covers only padding (input " + x.shape() + ", " + g + ")");
        }
        Tensor out = Tensor.zeros(DType.I64, x.dim(0), x.dim(1), oh, ow);
        long[] idx = (long[]) out.storage().array();
        Object src = x.storage().buffer();
        Devices.forRange(x.device(), planes, 8, 1, (from, to) ->
                k.maxPoolIndices(src, from * h * w, to - from, h, w, g, idx, from * oh * ow));
        return out;
    }

    static Tensor maxPool(Tensor x, ConvGeometry g) {
        Tensor idx = maxPoolIndices(x, g);
        int planes = x.dim(0) * x.dim(1);
        Tensor flat = x.reshape(planes, x.dim(2) * x.dim(3));
        return flat.gather(1, idx.reshape(planes, idx.dim(2) * idx.dim(3))).reshape(idx.shape());
    }

    static Tensor avgPool(Tensor x, ConvGeometry g) {
        Elementwise.requireFloating("avgPool2d", x.dtype());
        requireImages("avgPool2d", x);
        int n = x.dim(0);
        int c = x.dim(1);
        int oh = outHeight("avgPool2d", x.shape(), x.dim(2), g);
        int ow = outWidth("avgPool2d", x.shape(), x.dim(3), g);
        Tensor cols = x.reshape(n * c, 1, x.dim(2), x.dim(3)).unfold(g);
        return cols.mean(1, false).reshape(n, c, oh, ow);
    }

    /** The first output position along one axis whose kernel taps all fall in the padding, or -1. */
    private static int firstWindowWithoutInput(int in, int out, int kernel, int stride, int pad, int dilation) {
        for (int o = 0; o < out; o++) {
            boolean seesInput = false;
            for (int k = 0; k < kernel && !seesInput; k++) {
                int i = o * stride - pad + k * dilation;
                seesInput = i >= 0 && i < in;
            }
            if (!seesInput) {
                return o;
            }
        }
        return -1;
    }

    private static int outHeight(String op, Shape shape, int height, ConvGeometry g) {
        try {
            return g.outHeight(height);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage() + " for input " + shape, e);
        }
    }

    private static int outWidth(String op, Shape shape, int width, ConvGeometry g) {
        try {
            return g.outWidth(width);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage() + " for input " + shape, e);
        }
    }

    private static void requireImages(String op, Tensor x) {
        if (x.rank() != 4) {
            throw ShapeException.of(op, "expected a 4-D [N, C, H, W] tensor", x.shape());
        }
    }
}
