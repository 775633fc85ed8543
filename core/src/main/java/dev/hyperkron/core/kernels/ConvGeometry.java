package dev.hyperkron.core.kernels;

/**
 * Sliding-window geometry of a 2-D convolution or pooling: kernel size, stride, zero padding
 * and dilation per spatial axis, with the output-size arithmetic in one place.
 */
public record ConvGeometry(int kernelH, int kernelW, int strideH, int strideW,
                           int padH, int padW, int dilationH, int dilationW) {

    public ConvGeometry {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this
                    + ": kernel, stride and dilation must be >= 1 and padding >= 0");
        }
    }

    /** Square kernel with the same stride, padding and dilation on both axes. */
    public static ConvGeometry square(int kernel, int stride, int padding, int dilation) {
        return new ConvGeometry(kernel, kernel, stride, stride, padding, padding, dilation, dilation);
    }

    /** Output height for an input of the given height (at least 1, or an exception). */
    public int outHeight(int height) {
        return outSize("height", height, kernelH, strideH, padH, dilationH);
    }

    /** Output width for an input of the given width (at least 1, or an exception). */
    public int outWidth(int width) {
        return outSize("width", width, kernelW, strideW, padW, dilationW);
    }

    /** Number of kernel taps, kernelH * kernelW. */
    public int taps() {
        return kernelH * kernelW;
    }

    /** First output column whose input column (ox * strideW - padW + kj * dilationW) is >= 0. */
    public int firstValidColumn(int kj, int outW) {
        int shift = kj * dilationW - padW;
        return shift >= 0 ? 0 : Math.min(outW, (-shift + strideW - 1) / strideW);
    }

    /** One past the last output column whose input column is < width. */
    public int endValidColumn(int kj, int width, int outW) {
        int limit = width - (kj * dilationW - padW);
        return limit <= 0 ? 0 : Math.min(outW, (limit + strideW - 1) / strideW);
    }

    private int outSize(String axis, int in, int kernel, int stride, int pad, int dilation) {
        int span = dilation * (kernel - 1) + 1;
        int out = (in + 2 * pad - span) / stride + 1;
        if (in + 2 * pad < span || out < 1) {
            throw new IllegalArgumentException("input " + axis + " " + in + " with padding " + pad
                    + " is smaller than the dilated kernel extent " + span + " (" + this + ")");
        }
        return out;
    }
}
