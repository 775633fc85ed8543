package dev.hyperkron.gpu;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;

/**
 * What {@code -Dhyperkron.kernels=cuda} runs on Java arrays: GEMMs with enough arithmetic to pay for
 * the host-device copies go to cuBLAS, every other call stays on the CPU kernels. Through the array
 * SPI each GPU call costs a round trip (about 20 us measured on an H200), so memory-bound calls are
 * always faster where the data already is; {@value #PROPERTY}={@code all} sends every call to the GPU.
 */
final class OffloadingKernels<A> implements TypedKernels<A> {
    /** System property: {@code large} (default) or {@code all}. */
    static final String PROPERTY = "hyperkron.cuda.offload";
    /** System property: the GEMM size (2 m n k floating-point operations) from which it goes to the GPU; default 2^30. */
    static final String MIN_FLOPS_PROPERTY = "hyperkron.cuda.minGemmFlops";

    private final TypedKernels<A> gpu;
    private final TypedKernels<A> cpu;
    private final double minGemmFlops;

    OffloadingKernels(TypedKernels<A> gpu, TypedKernels<A> cpu, double minGemmFlops) {
        this.gpu = gpu;
        this.cpu = cpu;
        this.minGemmFlops = minGemmFlops;
    }

    /** The array kernels for this process's {@value #PROPERTY} setting. */
    static <A> TypedKernels<A> configured(TypedKernels<A> gpu, TypedKernels<A> cpu) {
        String mode = System.getProperty(PROPERTY, "large").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "all" -> gpu;
            case "large" -> new OffloadingKernels<>(gpu, cpu, Double.parseDouble(System.getProperty(MIN_FLOPS_PROPERTY, "1073741824")));
            default -> throw new IllegalArgumentException("system property " + PROPERTY + "=" + mode
                    + " is not an offload mode: use 'large' (big GEMMs on the GPU) or 'all'");
        };
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, A a, int aOff, int lda, A b, int bOff,
                     int ldb, double beta, A c, int cOff, int ldc) {
        TypedKernels<A> target = 2.0 * m * n * k >= minGemmFlops ? gpu : cpu;
        target.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void unary(UnaryOp op, A x, int xOff, A out, int outOff, int n) {
        cpu.unary(op, x, xOff, out, outOff, n);
    }

    @Override
    public void binary(BinaryOp op, A a, int aOff, int aInc, A b, int bOff, int bInc, A out, int outOff, int n) {
        cpu.binary(op, a, aOff, aInc, b, bOff, bInc, out, outOff, n);
    }

    @Override
    public void select(A cond, int cOff, int cInc, A a, int aOff, int aInc, A b, int bOff, int bInc, A out, int outOff, int n) {
        cpu.select(cond, cOff, cInc, a, aOff, aInc, b, bOff, bInc, out, outOff, n);
    }

    @Override
    public void reduce(ReduceOp op, A x, int xOff, int outer, int len, int inner, A out, int outOff) {
        cpu.reduce(op, x, xOff, outer, len, inner, out, outOff);
    }

    @Override
    public double dot(A a, int aOff, A b, int bOff, int n) {
        return cpu.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(double alpha, A x, int xOff, A y, int yOff, int n) {
        cpu.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public void scale(double alpha, A x, int xOff, int n) {
        cpu.scale(alpha, x, xOff, n);
    }

    @Override
    public void im2col(A x, int xOff, int channels, int height, int width, ConvGeometry g, A cols, int colsOff) {
        cpu.im2col(x, xOff, channels, height, width, g, cols, colsOff);
    }

    @Override
    public void col2im(A cols, int colsOff, int channels, int height, int width, ConvGeometry g, A x, int xOff) {
        cpu.col2im(cols, colsOff, channels, height, width, g, x, xOff);
    }

    @Override
    public void maxPoolIndices(A x, int xOff, int planes, int height, int width, ConvGeometry g, long[] out, int outOff) {
        cpu.maxPoolIndices(x, xOff, planes, height, width, g, out, outOff);
    }
}
