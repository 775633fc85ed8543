package dev.hyperkron.core.device;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.SymmetricEigen;
import dev.hyperkron.core.Strided;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an accelerator, so that device residency is tested on machines without one. Its
 * buffers are {@link Buffer} objects, not Java arrays: code that reaches for a tensor's array
 * instead of going through the device fails with a ClassCastException or the storage's
 * "not in a Java array" error, as it would on a GPU. Arithmetic delegates to the process's CPU
 * kernels (so results equal the host's to the bit); the walks (copy, broadcast binary, select)
 * and index ops are element-by-element loops over {@link Strided#position}, independent of the
 * host's row walker. It counts the copies between host and device, which tests bound.
 */
public final class SimulatedDevice implements Device {
    /** A device buffer: an array the host cannot see through a tensor. */
    public static final class Buffer {
        private final Object array;

        private Buffer(Object array) {
            this.array = array;
        }
    }

    private final String name;
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong solves = new AtomicLong();

    public SimulatedDevice(String name) {
        this.name = name;
    }

    /** Copies from the host so far. */
    public long uploads() {
        return uploads.get();
    }

    /** Copies to the host so far. */
    public long downloads() {
        return downloads.get();
    }

    /** Matrices inverted or decomposed by {@link #spdInverse} and {@link #symmetricEigen} so far. */
    public long solves() {
        return solves.get();
    }

    /** Device operations (kernel calls, walks, fills, allocations) so far. */
    public long calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean holds(DType dtype) {
        return dtype.isFloating();
    }

    @Override
    public Object allocate(DType dtype, int n) {
        calls.incrementAndGet();
        return new Buffer(dtype == DType.F32 ? new float[n] : new double[n]);
    }

    /** Filled with NaN, so that an op that leaves part of its output unwritten shows it. */
    @Override
    public Object allocateUninitialized(DType dtype, int n) {
        Buffer b = (Buffer) allocate(dtype, n);
        if (b.array instanceof float[] f) {
            java.util.Arrays.fill(f, Float.NaN);
        } else {
            java.util.Arrays.fill((double[]) b.array, Double.NaN);
        }
        return b;
    }

    @Override
    public TypedKernels<Object> kernels(DType dtype) {
        return new Unwrapping(Kernels.active().of(dtype));
    }

    /**
     * A solver of its own, as a GPU has: the host's Cholesky inverse of the buffer's matrix, so
     * that results stay equal to the host's while the callers' device path is exercised.
     */
    @Override
    public Object spdInverse(DType dtype, Object a, int n) {
        calls.incrementAndGet();
        solves.incrementAndGet();
        Cholesky.Result chol = Cholesky.tryDecompose(Tensor.wrap(Storage.wrap(array(a)), Shape.of(n, n)));
        Object inverse = chol.factor().inverse().storage().array(); // NotPositiveDefiniteException if it failed
        Buffer b = (Buffer) allocate(dtype, n * n);
        System.arraycopy(inverse, 0, b.array, 0, n * n);
        return b;
    }

    /** A solver of its own: the host's eigendecomposition of the buffer's matrix (see {@link #spdInverse}). */
    @Override
    public Eigenpairs symmetricEigen(DType dtype, Object a, int n) {
        calls.incrementAndGet();
        solves.incrementAndGet();
        SymmetricEigen eig = SymmetricEigen.of(Tensor.wrap(Storage.wrap(array(a)), Shape.of(n, n)));
        Buffer vectors = (Buffer) allocate(dtype, n * n);
        System.arraycopy(eig.eigenvectors().cast(dtype).storage().array(), 0, vectors.array, 0, n * n);
        return new Eigenpairs(eig.eigenvalues().cast(DType.F64).toDoubleArray(), vectors);
    }

    @Override
    public Object upload(DType dtype, Object hostArray, int n) {
        uploads.incrementAndGet();
        Buffer b = (Buffer) allocate(dtype, n);
        System.arraycopy(hostArray, 0, b.array, 0, n);
        return b;
    }

    @Override
    public Object download(DType dtype, Object buffer, int n) {
        downloads.incrementAndGet();
        Object host = dtype == DType.F32 ? new float[n] : new double[n];
        System.arraycopy(array(buffer), 0, host, 0, n);
        return host;
    }

    @Override
    public void fill(DType dtype, Object buffer, int offset, int n, double value) {
        calls.incrementAndGet();
        for (int i = 0; i < n; i++) {
            set(buffer, offset + i, value);
        }
    }

    @Override
    public void convert(DType from, Object src, DType to, Object dst, int n) {
        calls.incrementAndGet();
        for (int i = 0; i < n; i++) {
            set(dst, i, get(src, i));
        }
    }

    @Override
    public void copy(DType dtype, Strided walk, Object src, Object dst) {
        calls.incrementAndGet();
        for (int i = 0; i < walk.size(); i++) {
            set(dst, walk.position(1, i), get(src, walk.position(0, i)));
        }
    }

    @Override
    public void binary(BinaryOp op, DType dtype, Strided walk, Object a, Object b, Object out) {
        calls.incrementAndGet();
        for (int i = 0; i < walk.size(); i++) {
            // Rounding the double result to F32 gives the F32 operation's result for these ops.
            set(out, walk.position(2, i), op.apply(get(a, walk.position(0, i)), get(b, walk.position(1, i))));
        }
    }

    @Override
    public void select(DType dtype, Strided walk, Object cond, Object a, Object b, Object out) {
        calls.incrementAndGet();
        for (int i = 0; i < walk.size(); i++) {
            boolean pickA = get(cond, walk.position(0, i)) != 0;
            set(out, walk.position(3, i), get(pickA ? a : b, walk.position(pickA ? 1 : 2, i)));
        }
    }

    @Override
    public void gather(DType dtype, Object src, int[] positions, Object dst) {
        calls.incrementAndGet();
        for (int i = 0; i < positions.length; i++) {
            set(dst, i, get(src, positions[i]));
        }
    }

    @Override
    public void scatterAdd(DType dtype, Object src, int[] positions, Object dst) {
        calls.incrementAndGet();
        for (int i = 0; i < positions.length; i++) {
            set(dst, positions[i], get(dst, positions[i]) + get(src, i));
        }
    }

    private static Object array(Object buffer) {
        return ((Buffer) buffer).array;
    }

    private static double get(Object buffer, int i) {
        Object a = array(buffer);
        return a instanceof float[] f ? f[i] : ((double[]) a)[i];
    }

    private static void set(Object buffer, int i, double value) {
        Object a = array(buffer);
        if (a instanceof float[] f) {
            f[i] = (float) value;
        } else {
            ((double[]) a)[i] = value;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** The CPU kernels applied to the arrays inside {@link Buffer}s. */
    private final class Unwrapping implements TypedKernels<Object> {
        private final TypedKernels<Object> cpu;

        Unwrapping(TypedKernels<Object> cpu) {
            this.cpu = cpu;
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda,
                         Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
            calls.incrementAndGet();
            cpu.gemm(transA, transB, m, n, k, alpha, array(a), aOff, lda, array(b), bOff, ldb, beta, array(c), cOff, ldc);
        }

        @Override
        public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff,
                                int strideA, int lda, Object b, int bOff, int strideB, int ldb, double beta, Object c,
                                int cOff, int strideC, int ldc, int count) {
            calls.incrementAndGet();
            cpu.gemmBatched(transA, transB, m, n, k, alpha, array(a), aOff, strideA, lda, array(b), bOff, strideB, ldb,
                    beta, array(c), cOff, strideC, ldc, count);
        }

        @Override
        public void unary(UnaryOp op, Object x, int xOff, Object out, int outOff, int n) {
            calls.incrementAndGet();
            cpu.unary(op, array(x), xOff, array(out), outOff, n);
        }

        @Override
        public void binary(BinaryOp op, Object a, int aOff, int aInc, Object b, int bOff, int bInc, Object out, int outOff, int n) {
            calls.incrementAndGet();
            cpu.binary(op, array(a), aOff, aInc, array(b), bOff, bInc, array(out), outOff, n);
        }

        @Override
        public void select(Object cond, int cOff, int cInc, Object a, int aOff, int aInc, Object b, int bOff, int bInc,
                           Object out, int outOff, int n) {
            calls.incrementAndGet();
            cpu.select(array(cond), cOff, cInc, array(a), aOff, aInc, array(b), bOff, bInc, array(out), outOff, n);
        }

        @Override
        public void reduce(ReduceOp op, Object x, int xOff, int outer, int len, int inner, Object out, int outOff) {
            calls.incrementAndGet();
            cpu.reduce(op, array(x), xOff, outer, len, inner, array(out), outOff);
        }

        @Override
        public double dot(Object a, int aOff, Object b, int bOff, int n) {
            calls.incrementAndGet();
            return cpu.dot(array(a), aOff, array(b), bOff, n);
        }

        @Override
        public void axpy(double alpha, Object x, int xOff, Object y, int yOff, int n) {
            calls.incrementAndGet();
            cpu.axpy(alpha, array(x), xOff, array(y), yOff, n);
        }

        @Override
        public void scale(double alpha, Object x, int xOff, int n) {
            calls.incrementAndGet();
            cpu.scale(alpha, array(x), xOff, n);
        }

        @Override
        public void im2col(Object x, int xOff, int channels, int height, int width, ConvGeometry g, Object cols, int colsOff) {
            calls.incrementAndGet();
            cpu.im2col(array(x), xOff, channels, height, width, g, array(cols), colsOff);
        }

        @Override
        public void col2im(Object cols, int colsOff, int channels, int height, int width, ConvGeometry g, Object x, int xOff) {
            calls.incrementAndGet();
            cpu.col2im(array(cols), colsOff, channels, height, width, g, array(x), xOff);
        }

        @Override
        public void maxPoolIndices(Object x, int xOff, int planes, int height, int width, ConvGeometry g, long[] out, int outOff) {
            calls.incrementAndGet();
            cpu.maxPoolIndices(array(x), xOff, planes, height, width, g, out, outOff);
        }
    }
}
