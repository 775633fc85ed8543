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

    /** The image offset {@link PatchRowVisitor#visit} receives for a row that lies in the padding. */
    public static final int PADDING_ROW = Integer.MIN_VALUE;

    /** Receives one row of the im2col matrix: where it starts, where its image row starts, and its valid columns. */
    @FunctionalInterface
    public interface PatchRowVisitor {
        /**
         * @param colsOffset  offset of the row (outW values) in the columns matrix of one image
         * @param imageOffset offset of input column 0 of this row in the image [C, H, W] (column ox
         *                    reads imageOffset + ox * strideW; negative with left padding), or
         *                    {@link #PADDING_ROW} when the whole row lies in the padding
         * @param lo          first output column that reads inside the image
         * @param hi          one past the last such column
         */
        void visit(int colsOffset, int imageOffset, int lo, int hi);
    }

    /**
     * Visits every row of the im2col matrix of one [channels, height, width] image, in order:
     * the single traversal im2col and its adjoint col2im share.
     */
    public void forEachPatchRow(int channels, int height, int width, PatchRowVisitor visitor) {
        int outH = outHeight(height);
        int outW = outWidth(width);
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernelH; ki++) {
                for (int kj = 0; kj < kernelW; kj++) {
                    int row = ((c * kernelH + ki) * kernelW + kj) * outH * outW;
                    int shiftW = kj * dilationW - padW;
                    int lo = firstValidColumn(kj, outW);
                    int hi = endValidColumn(kj, width, outW);
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * strideH - padH + ki * dilationH;
                        boolean inside = iy >= 0 && iy < height;
                        visitor.visit(row + oy * outW, inside ? (c * height + iy) * width + shiftW : PADDING_ROW, lo, hi);
                    }
                }
            }
        }
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
