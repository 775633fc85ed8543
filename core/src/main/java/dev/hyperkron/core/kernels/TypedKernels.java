package dev.hyperkron.core.kernels;

/**
 * The hot loops for one element type, whose storage is the Java array type {@code A}
 * ({@code float[]} or {@code double[]}). Everything above this interface is plain Java;
 * SIMD lives only in implementations. Offsets and lengths are in elements; an increment
 * ({@code inc}) of 0 repeats one element (a broadcast operand), 1 walks contiguously.
 */
public interface TypedKernels<A> {

    /**
     * General matrix multiply: C = alpha * op(A) * op(B) + beta * C, with op(X) = X or X^T.
     * op(A) is m x k, op(B) is k x n, C is m x n; all row-major with leading dimensions
     * lda, ldb, ldc (the row strides of the stored, untransposed arrays). When beta is 0, C is
     * overwritten without being read.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c, int cOff, int ldc);

    /**
     * {@code count} independent products, each as {@link #gemm}: product i reads op(A) from
     * aOff + i*strideA and op(B) from bOff + i*strideB and writes C at cOff + i*strideC (a stride
     * of 0 repeats one operand). A device does them in one call (a batched GEMM); the default
     * runs them one by one.
     */
    default void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             A a, int aOff, int strideA, int lda, A b, int bOff, int strideB, int ldb,
                             double beta, A c, int cOff, int strideC, int ldc, int count) {
        for (int i = 0; i < count; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb, beta,
                    c, cOff + i * strideC, ldc);
        }
    }

    /** out[i] = op(x[i]) for i in [0, n). {@code out} may be {@code x}. */
    void unary(UnaryOp op, A x, int xOff, A out, int outOff, int n);

    /** out[i] = op(a[aOff + i*aInc], b[bOff + i*bInc]) for i in [0, n); increments are 0 or 1. */
    void binary(BinaryOp op, A a, int aOff, int aInc, A b, int bOff, int bInc, A out, int outOff, int n);

    /** out[i] = cond[i] != 0 ? a[i] : b[i], each operand with its own increment (0 or 1). */
    void select(A cond, int cOff, int cInc, A a, int aOff, int aInc, A b, int bOff, int bInc,
                A out, int outOff, int n);

    /**
     * Reduces x, viewed as [outer, len, inner] from xOff, along the middle axis into out,
     * viewed as [outer, inner] from outOff.
     */
    void reduce(ReduceOp op, A x, int xOff, int outer, int len, int inner, A out, int outOff);

    /** Sum of a[i] * b[i] over [0, n). */
    double dot(A a, int aOff, A b, int bOff, int n);

    /** y[i] += alpha * x[i] over [0, n). */
    void axpy(double alpha, A x, int xOff, A y, int yOff, int n);

    /** x[i] *= alpha over [0, n). */
    void scale(double alpha, A x, int xOff, int n);

    /**
     * Unfolds one image [channels, height, width] at xOff into the columns
     * [channels * kernelH * kernelW, outH * outW] at colsOff (im2col); padded taps read 0.
     */
    void im2col(A x, int xOff, int channels, int height, int width, ConvGeometry g, A cols, int colsOff);

    /** The adjoint of {@link #im2col}: adds the columns into the image at xOff, summing overlapping taps. */
    void col2im(A cols, int colsOff, int channels, int height, int width, ConvGeometry g, A x, int xOff);

    /**
     * For max pooling of planes [planes, height, width] at xOff: writes the flat index within its
     * plane of each window's first maximum (a NaN beats every number; the first NaN wins) to
     * out[outOff..] in [planes, outH, outW] order. Taps in the padding are skipped; the caller
     * guarantees that every window sees at least one element.
     */
    void maxPoolIndices(A x, int xOff, int planes, int height, int width, ConvGeometry g, long[] out, int outOff);
}
