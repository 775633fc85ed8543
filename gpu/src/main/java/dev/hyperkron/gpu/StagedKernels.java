package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.lang.foreign.MemorySegment;

/**
 * The kernel SPI on Java arrays, run on the GPU: each call copies its operands to reused device
 * buffers, runs {@link DeviceKernels}, and copies the result back. This is what
 * {@code -Dhyperkron.kernels=cuda} plugs under the unchanged tensor code; it pays a host-device
 * round trip per call, so it wins only where the work per call is large (big GEMMs).
 */
final class StagedKernels<A> implements TypedKernels<A> {
    private final CudaDevice device;
    private final DeviceKernels kernels;
    private final DType dtype;
    private final DeviceArray[] buffers = new DeviceArray[4];

    StagedKernels(CudaDevice device, DeviceKernels kernels) {
        this.device = device;
        this.kernels = kernels;
        this.dtype = kernels.dtype();
    }

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, A a, int aOff, int lda,
                                  A b, int bOff, int ldb, double beta, A c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        int aSpan = span("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        int bSpan = span("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        int cSpan = span("C", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        DeviceArray da = upload(0, a, aOff, k == 0 ? 0 : aSpan);
        DeviceArray db = upload(1, b, bOff, k == 0 ? 0 : bSpan);
        // With beta = 0 and no gaps between C's rows nothing of C is read: skip that copy (a quarter of
        // the traffic of a square GEMM). Otherwise upload it, the gaps too, since the whole span comes back.
        DeviceArray dc = beta == 0 && (ldc == n || m == 1) ? buffer(2, cSpan) : upload(2, c, cOff, cSpan);
        kernels.gemm(transA, transB, m, n, k, alpha, da, 0, lda, db, 0, ldb, beta, dc, 0, ldc);
        download(dc, c, cOff, cSpan);
    }

    @Override
    public synchronized void unary(UnaryOp op, A x, int xOff, A out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        DeviceArray dx = upload(0, x, xOff, n);
        DeviceArray dout = buffer(1, n);
        kernels.unary(op, dx, 0, dout, 0, n);
        download(dout, out, outOff, n);
    }

    @Override
    public synchronized void binary(BinaryOp op, A a, int aOff, int aInc, A b, int bOff, int bInc, A out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        DeviceArray da = upload(0, a, aOff, DeviceKernels.operandLength(n, aInc));
        DeviceArray db = upload(1, b, bOff, DeviceKernels.operandLength(n, bInc));
        DeviceArray dout = buffer(2, n);
        kernels.binary(op, da, 0, aInc, db, 0, bInc, dout, 0, n);
        download(dout, out, outOff, n);
    }

    @Override
    public synchronized void select(A cond, int cOff, int cInc, A a, int aOff, int aInc, A b, int bOff, int bInc,
                                    A out, int outOff, int n) {
        if (n == 0) {
            return;
        }
        DeviceArray dc = upload(0, cond, cOff, DeviceKernels.operandLength(n, cInc));
        DeviceArray da = upload(1, a, aOff, DeviceKernels.operandLength(n, aInc));
        DeviceArray db = upload(2, b, bOff, DeviceKernels.operandLength(n, bInc));
        DeviceArray dout = buffer(3, n);
        kernels.select(dc, 0, cInc, da, 0, aInc, db, 0, bInc, dout, 0, n);
        download(dout, out, outOff, n);
    }

    @Override
    public synchronized void reduce(ReduceOp op, A x, int xOff, int outer, int len, int inner, A out, int outOff) {
        int outputs = Math.multiplyExact(outer, inner);
        if (outputs == 0) {
            return;
        }
        DeviceArray dx = upload(0, x, xOff, Math.multiplyExact(outputs, len));
        DeviceArray dout = buffer(1, outputs);
        kernels.reduce(op, dx, 0, outer, len, inner, dout, 0);
        download(dout, out, outOff, outputs);
    }

    @Override
    public synchronized double dot(A a, int aOff, A b, int bOff, int n) {
        if (n == 0) {
            return 0.0;
        }
        return kernels.dot(upload(0, a, aOff, n), 0, upload(1, b, bOff, n), 0, n);
    }

    @Override
    public synchronized void axpy(double alpha, A x, int xOff, A y, int yOff, int n) {
        if (n == 0) {
            return;
        }
        DeviceArray dx = upload(0, x, xOff, n);
        DeviceArray dy = upload(1, y, yOff, n);
        kernels.axpy(alpha, dx, 0, dy, 0, n);
        download(dy, y, yOff, n);
    }

    @Override
    public synchronized void scale(double alpha, A x, int xOff, int n) {
        if (n == 0) {
            return;
        }
        DeviceArray dx = upload(0, x, xOff, n);
        kernels.scale(alpha, dx, 0, n);
        download(dx, x, xOff, n);
    }

    @Override
    public synchronized void im2col(A x, int xOff, int channels, int height, int width, ConvGeometry g, A cols, int colsOff) {
        int total = Math.multiplyExact(channels * g.taps(), g.outHeight(height) * g.outWidth(width));
        if (total == 0) {
            return;
        }
        DeviceArray dx = upload(0, x, xOff, channels * height * width);
        DeviceArray dcols = buffer(1, total);
        kernels.im2col(dx, 0, channels, height, width, g, dcols, 0);
        download(dcols, cols, colsOff, total);
    }

    @Override
    public synchronized void col2im(A cols, int colsOff, int channels, int height, int width, ConvGeometry g, A x, int xOff) {
        int total = Math.multiplyExact(channels * g.taps(), g.outHeight(height) * g.outWidth(width));
        int pixels = channels * height * width;
        if (pixels == 0) {
            return;
        }
        DeviceArray dcols = upload(0, cols, colsOff, total);
        DeviceArray dx = upload(1, x, xOff, pixels);
        kernels.col2im(dcols, 0, channels, height, width, g, dx, 0);
        download(dx, x, xOff, pixels);
    }

    @Override
    public synchronized void maxPoolIndices(A x, int xOff, int planes, int height, int width, ConvGeometry g, long[] out,
                                            int outOff) {
        int pixels = Math.multiplyExact(planes, height * width);
        DeviceArray dx = upload(0, x, xOff, pixels);
        kernels.maxPoolIndices(dx, 0, planes, height, width, g, out, outOff);
    }

    /** Device buffer {@code slot} holding at least {@code n} elements (grown, never shrunk). */
    private DeviceArray buffer(int slot, int n) {
        DeviceArray current = buffers[slot];
        if (current == null || current.length() < n) {
            if (current != null) {
                current.close();
            }
            int capacity = Math.max(n, current == null ? 1024 : (int) Math.min(Integer.MAX_VALUE - 8, 2L * current.length()));
            buffers[slot] = current = DeviceArray.allocate(device, dtype, capacity);
        }
        return current;
    }

    private DeviceArray upload(int slot, A host, int off, int n) {
        MemorySegment segment = segment(host);
        if (off < 0 || n < 0 || (long) off + n > segment.byteSize() / dtype.byteSize()) {
            throw new IllegalArgumentException("elements [" + off + ", " + ((long) off + n) + ") are outside the array of length "
                    + segment.byteSize() / dtype.byteSize());
        }
        DeviceArray d = buffer(slot, n);
        d.copyFromHost(segment, off, n);
        return d;
    }

    private void download(DeviceArray d, A host, int off, int n) {
        MemorySegment segment = segment(host);
        if (off < 0 || (long) off + n > segment.byteSize() / dtype.byteSize()) {
            throw new IllegalArgumentException("elements [" + off + ", " + ((long) off + n) + ") are outside the array of length "
                    + segment.byteSize() / dtype.byteSize());
        }
        d.copyToHost(off, segment, n);
    }

    private MemorySegment segment(A host) {
        if (dtype == DType.F32 && host instanceof float[] f) {
            return MemorySegment.ofArray(f);
        } else if (dtype == DType.F64 && host instanceof double[] d) {
            return MemorySegment.ofArray(d);
        }
        throw new IllegalArgumentException("the " + dtype + " CUDA kernels take " + (dtype == DType.F32 ? "float[]" : "double[]")
                + ", not " + (host == null ? "null" : host.getClass().getSimpleName()));
    }

    /** Elements of a rows x cols row-major matrix with leading dimension ld from off, checked against the array. */
    private int span(String name, A host, int off, int rows, int cols, int ld) {
        long span = DeviceKernels.span(rows, cols, ld);
        long length = segment(host).byteSize() / dtype.byteSize();
        if (off < 0 || off + span > length) {
            throw new IllegalArgumentException("gemm " + name + ": a " + rows + " x " + cols + " matrix with leading dimension "
                    + ld + " at offset " + off + " needs " + (off + span) + " elements, the array has " + length);
        }
        return (int) span;
    }
}
