package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.lang.foreign.MemorySegment;

/**
 * The kernel SPI on device-resident storage: every operand is a {@link DeviceArray}, and nothing is
 * copied to the host except the scalar result of {@link #dot} and the indices of
 * {@link #maxPoolIndices} (host arrays by the SPI's signature). Calls are queued on the device's
 * default stream without waiting, so a chain of calls runs back to back on the GPU.
 */
public final class DeviceKernels implements TypedKernels<DeviceArray> {
    private final CudaDevice device;
    private final DType dtype;
    private final String suffix;
    /** Reused small buffers: dot's per-block partial sums, max pooling's indices. */
    private DeviceArray partials;
    private DeviceArray indices;

    DeviceKernels(CudaDevice device, DType dtype) {
        this.device = device;
        this.dtype = dtype;
        this.suffix = dtype == DType.F32 ? "_f32" : "_f64";
    }

    /** The element type these kernels work on. */
    public DType dtype() {
        return dtype;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceArray a, int aOff, int lda,
                     DeviceArray b, int bOff, int ldb, double beta, DeviceArray c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        check(c, "gemm C", cOff, span(m, n, ldc));
        device.bindCurrentThread();
        if (k == 0) {
            device.module.launch("gemm_empty" + suffix, CudaModule.blocksFor((long) m * n), 0, m, n, alpha, beta, c.at(cOff), ldc);
            return;
        }
        check(a, "gemm A", aOff, transA ? span(k, m, lda) : span(m, k, lda));
        check(b, "gemm B", bOff, transB ? span(n, k, ldb) : span(k, n, ldb));
        if (dtype == DType.F32) {
            device.cublas.sgemm(transA, transB, m, n, k, (float) alpha, a.at(aOff), lda, b.at(bOff), ldb, (float) beta, c.at(cOff), ldc);
        } else {
            device.cublas.dgemm(transA, transB, m, n, k, alpha, a.at(aOff), lda, b.at(bOff), ldb, beta, c.at(cOff), ldc);
        }
    }

    /** Evenly spaced products as one cuBLAS strided batched GEMM (an empty depth falls back to one launch each). */
    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceArray a, int aOff,
                            int strideA, int lda, DeviceArray b, int bOff, int strideB, int ldb, double beta,
                            DeviceArray c, int cOff, int strideC, int ldc, int count) {
        if (count < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("batched gemm: count and strides must be >= 0, got count=" + count
                    + " strides " + strideA + ", " + strideB + ", " + strideC);
        }
        if (count <= 1 || k == 0 || m == 0 || n == 0) {
            TypedKernels.super.gemmBatched(transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                    beta, c, cOff, strideC, ldc, count);
            return;
        }
        long last = count - 1L;
        check(a, "batched gemm A", aOff, last * strideA + (transA ? span(k, m, lda) : span(m, k, lda)));
        check(b, "batched gemm B", bOff, last * strideB + (transB ? span(n, k, ldb) : span(k, n, ldb)));
        check(c, "batched gemm C", cOff, last * strideC + span(m, n, ldc));
        device.bindCurrentThread();
        device.cublas.gemmStridedBatched(dtype == DType.F64, transA, transB, m, n, k, alpha, a.at(aOff), lda, strideA,
                b.at(bOff), ldb, strideB, beta, c.at(cOff), ldc, strideC, count);
    }

    @Override
    public void unary(UnaryOp op, DeviceArray x, int xOff, DeviceArray out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        check(x, "unary input", xOff, n);
        check(out, "unary output", outOff, n);
        device.bindCurrentThread();
        device.module.launch("unary" + suffix, CudaModule.blocksFor(n), 0, op.ordinal(), x.at(xOff), out.at(outOff), (long) n);
    }

    @Override
    public void binary(BinaryOp op, DeviceArray a, int aOff, int aInc, DeviceArray b, int bOff, int bInc,
                       DeviceArray out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        check(a, "binary left operand", aOff, operandLength(n, aInc));
        check(b, "binary right operand", bOff, operandLength(n, bInc));
        check(out, "binary output", outOff, n);
        device.bindCurrentThread();
        device.module.launch("binary" + suffix, CudaModule.blocksFor(n), 0, op.ordinal(), a.at(aOff), aInc, b.at(bOff), bInc,
                out.at(outOff), (long) n);
    }

    @Override
    public void select(DeviceArray cond, int cOff, int cInc, DeviceArray a, int aOff, int aInc, DeviceArray b, int bOff,
                       int bInc, DeviceArray out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        check(cond, "where condition", cOff, operandLength(n, cInc));
        check(a, "where first operand", aOff, operandLength(n, aInc));
        check(b, "where second operand", bOff, operandLength(n, bInc));
        check(out, "where output", outOff, n);
        device.bindCurrentThread();
        device.module.launch("select" + suffix, CudaModule.blocksFor(n), 0, cond.at(cOff), cInc, a.at(aOff), aInc,
                b.at(bOff), bInc, out.at(outOff), (long) n);
    }

    @Override
    public void reduce(ReduceOp op, DeviceArray x, int xOff, int outer, int len, int inner, DeviceArray out, int outOff) {
        long outputs = (long) outer * inner;
        if (outputs == 0) {
            return;
        }
        check(x, "reduce input", xOff, outputs * len);
        check(out, "reduce output", outOff, outputs);
        device.bindCurrentThread();
        if (inner == 1 && len >= 4 * CudaModule.THREADS && outer <= 4 * 132) {
            // few long rows: a block per row keeps every multiprocessor busy
            device.module.launch("reduce_rows" + suffix, outer, CudaModule.THREADS * Double.BYTES, op.ordinal(), x.at(xOff), len,
                    out.at(outOff));
        } else {
            device.module.launch("reduce_columns" + suffix, CudaModule.blocksFor(outputs), 0, op.ordinal(), x.at(xOff), outer,
                    len, inner, out.at(outOff));
        }
    }

    @Override
    public double dot(DeviceArray a, int aOff, DeviceArray b, int bOff, int n) {
        if (n == 0) {
            return 0.0;
        }
        synchronized (this) {
            sumOfProducts(a, aOff, b, bOff, n, true, scratch().at(0));
            double[] result = new double[1];
            device.runtime.memcpy(MemorySegment.ofArray(result), partials.at(0), Double.BYTES, CudaRuntime.DEVICE_TO_HOST);
            return result[0];
        }
    }

    /**
     * out[0] = the sum of a[i] * b[i] over [0, n) (n > 0), accumulated in double and rounded to
     * this dtype, queued without waiting: the value stays on the device.
     */
    void dotOnDevice(DeviceArray a, DeviceArray b, int n, DeviceArray out) {
        check(out, "dot output", 0, 1);
        synchronized (this) {
            sumOfProducts(a, 0, b, 0, n, false, out.at(0));
        }
    }

    /**
     * Per-block partial sums into the scratch, then their sum into result, a double or an element
     * of this dtype; the caller holds this lock.
     */
    private void sumOfProducts(DeviceArray a, int aOff, DeviceArray b, int bOff, int n, boolean doubleResult,
                               MemorySegment result) {
        check(a, "dot left operand", aOff, n);
        check(b, "dot right operand", bOff, n);
        device.bindCurrentThread();
        int blocks = Math.min(CudaModule.blocksFor(n), 1024);
        MemorySegment scratch = scratch().at(1);
        device.module.launch("dot_partials" + suffix, blocks, CudaModule.THREADS * Double.BYTES, a.at(aOff), b.at(bOff),
                (long) n, scratch);
        if (doubleResult) {
            device.module.launch("sum_partials_f64", 1, CudaModule.THREADS * Double.BYTES, scratch, blocks, result);
        } else {
            device.module.launch("sum_partials" + suffix, 1, CudaModule.THREADS * Double.BYTES, scratch, blocks, result);
        }
    }

    /** The partial sums' buffer: [0] a double result, [1..1024] one partial per block (stream-ordered reuse). */
    private DeviceArray scratch() {
        if (partials == null) {
            partials = DeviceArray.allocate(device, DType.F64, 1025);
        }
        return partials;
    }

    @Override
    public void axpy(double alpha, DeviceArray x, int xOff, DeviceArray y, int yOff, int n) {
        if (n == 0) {
            return;
        }
        check(x, "axpy x", xOff, n);
        check(y, "axpy y", yOff, n);
        device.bindCurrentThread();
        device.module.launch("axpy" + suffix, CudaModule.blocksFor(n), 0, scalar(alpha), x.at(xOff), y.at(yOff), (long) n);
    }

    @Override
    public void scale(double alpha, DeviceArray x, int xOff, int n) {
        if (n == 0) {
            return;
        }
        check(x, "scale x", xOff, n);
        device.bindCurrentThread();
        device.module.launch("scale" + suffix, CudaModule.blocksFor(n), 0, scalar(alpha), x.at(xOff), (long) n);
    }

    @Override
    public void im2col(DeviceArray x, int xOff, int channels, int height, int width, ConvGeometry g, DeviceArray cols,
                       int colsOff) {
        int outH = g.outHeight(height);
        int outW = g.outWidth(width);
        long total = (long) channels * g.taps() * outH * outW;
        if (total == 0) {
            return;
        }
        check(x, "im2col image", xOff, (long) channels * height * width);
        check(cols, "im2col columns", colsOff, total);
        device.bindCurrentThread();
        device.module.launch("im2col" + suffix, CudaModule.blocksFor(total), 0, x.at(xOff), channels, height, width,
                geometry(g, outH, outW), cols.at(colsOff));
    }

    @Override
    public void col2im(DeviceArray cols, int colsOff, int channels, int height, int width, ConvGeometry g, DeviceArray x,
                       int xOff) {
        int outH = g.outHeight(height);
        int outW = g.outWidth(width);
        long pixels = (long) channels * height * width;
        if (pixels == 0) {
            return;
        }
        check(cols, "col2im columns", colsOff, (long) channels * g.taps() * outH * outW);
        check(x, "col2im image", xOff, pixels);
        device.bindCurrentThread();
        device.module.launch("col2im" + suffix, CudaModule.blocksFor(pixels), 0, cols.at(colsOff), channels, height, width,
                geometry(g, outH, outW), x.at(xOff));
    }

    @Override
    public void maxPoolIndices(DeviceArray x, int xOff, int planes, int height, int width, ConvGeometry g, long[] out,
                               int outOff) {
        int outH = g.outHeight(height);
        int outW = g.outWidth(width);
        int windows = Math.multiplyExact(planes, outH * outW);
        if (windows == 0) {
            return;
        }
        check(x, "max pool input", xOff, (long) planes * height * width);
        if (outOff < 0 || outOff + (long) windows > out.length) {
            throw new IllegalArgumentException("max pool indices: " + windows + " windows from " + outOff
                    + " do not fit the index array of length " + out.length);
        }
        device.bindCurrentThread();
        synchronized (this) {
            if (indices == null || indices.length() < windows) { // F64: 8-byte slots for the i64 indices
                if (indices != null) {
                    indices.close();
                }
                indices = DeviceArray.allocate(device, DType.F64, Math.max(windows, 1024));
            }
            device.module.launch("max_pool_indices" + suffix, CudaModule.blocksFor(windows), 0, x.at(xOff), planes, height, width,
                    geometry(g, outH, outW), indices.at(0));
            device.runtime.memcpy(MemorySegment.ofArray(out).asSlice((long) outOff * Long.BYTES, (long) windows * Long.BYTES),
                    indices.at(0), (long) windows * Long.BYTES, CudaRuntime.DEVICE_TO_HOST);
        }
    }

    private Object scalar(double alpha) {
        return dtype == DType.F32 ? (Object) (float) alpha : (Object) alpha;
    }

    private static CudaModule.Struct geometry(ConvGeometry g, int outH, int outW) {
        return new CudaModule.Struct(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.dilationH(), g.dilationW(), outH, outW);
    }

    private void check(DeviceArray array, String name, int offset, long count) {
        array.requireType(dtype);
        array.requireRange(name, offset, count);
    }

    /** Elements a row-major rows x cols matrix with leading dimension ld spans. */
    static long span(int rows, int cols, int ld) {
        if (cols > ld && rows > 1) {
            throw new IllegalArgumentException("leading dimension " + ld + " is smaller than the row length " + cols);
        }
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    static int operandLength(int n, int inc) {
        if (inc != 0 && inc != 1) {
            throw new IllegalArgumentException("increments must be 0 (broadcast) or 1, got " + inc);
        }
        return n == 0 ? 0 : (inc == 0 ? 1 : n);
    }
}
