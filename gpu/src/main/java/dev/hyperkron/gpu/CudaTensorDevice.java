package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Strided;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.TypedKernels;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CUDA device as a core {@link Device}, so that tensors live in GPU memory:
 * {@code x.to(CudaDevice.get().tensors())}. Obtain it only through {@link CudaDevice#tensors()}:
 * core tells devices apart by identity, so there is one per opened CUDA device. Named
 * {@code "cuda:N"} after the device ordinal; holds F32 and F64 (integer tensors stay on the host).
 * Buffers are {@link DeviceArray}s; arithmetic is {@link DeviceKernels} (cuBLAS GEMM, NVRTC kernels).
 *
 * <p>Every operation is queued on the backend's stream without waiting; {@link #download} (every
 * reader of a device tensor goes through it) waits for the queued work. {@link #gather} and
 * {@link #scatterAdd} receive their positions in a host array by the SPI's signature, so they copy
 * them to the device first (a plain copy, which waits for the work queued before it).
 *
 * <p>A copy, broadcast binary op or select along a {@link Strided} walk is one launch (walks of
 * more than eight axes, after Strided merges what it can, one launch per index of the leading
 * axes: {@link StridedWalk}). Copies, fills, conversions, gathers, selects and the binary walks
 * (each element evaluated in double and rounded once, as the Java definitions) are meant to equal
 * the host's bit for bit, except pow, which is CUDA's (within a few ulps of Java's). cuBLAS GEMM,
 * the reductions and scatterAdd round differently where their order of additions differs:
 * scatterAdd adds repeated positions atomically, in no fixed order (the host adds in index
 * order), so F32 sums with repeated positions may differ from the host's, and between runs, in
 * the last bits. Not yet run on a GPU when written (see {@code CudaDeviceContractProperties}).
 */
public final class CudaTensorDevice implements Device {
    private final CudaDevice cuda;
    private final String name;
    private final DeviceKernels f32;
    private final DeviceKernels f64;
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    /** cuSOLVER for the SPD inverses of KFAC's factors (its handle is made on first use). */
    private final CudaLinalg linalg;
    /** Device copy of the positions of gather and scatterAdd, reused (guarded by this). */
    private DeviceArray positions;

    CudaTensorDevice(CudaDevice cuda) {
        this.cuda = cuda;
        this.name = "cuda:" + cuda.ordinal();
        this.f32 = new DeviceKernels(cuda, DType.F32);
        this.f64 = new DeviceKernels(cuda, DType.F64);
        this.linalg = new CudaLinalg(cuda);
    }

    /** The CUDA device (libraries, stream, kernels) these buffers live on. */
    public CudaDevice cuda() {
        return cuda;
    }

    /** Copies from the host into new device buffers so far (each {@link #upload}). */
    public long uploads() {
        return uploads.get();
    }

    /** Copies of elements to the host so far (each {@link #download}). */
    public long downloads() {
        return downloads.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean holds(DType dtype) {
        return dtype == DType.F32 || dtype == DType.F64;
    }

    @Override
    public Object allocate(DType dtype, int n) {
        requireHeld(dtype);
        return DeviceArray.zeros(cuda, dtype, n);
    }

    /** An op's output: no memset, since the op writes every element (one call fewer per op). */
    @Override
    public Object allocateUninitialized(DType dtype, int n) {
        requireHeld(dtype);
        return DeviceArray.allocate(cuda, dtype, n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypedKernels<Object> kernels(DType dtype) {
        // Erasure: the calls core makes pass this device's buffers, which are DeviceArrays.
        return (TypedKernels<Object>) (TypedKernels<?>) deviceKernels(dtype);
    }

    @Override
    public Object upload(DType dtype, Object hostArray, int n) {
        requireHeld(dtype);
        MemorySegment host = hostSegment(dtype, hostArray);
        if (n < 0 || n > host.byteSize() / dtype.byteSize()) {
            throw new IllegalArgumentException("upload: " + n + " elements from a host array of "
                    + host.byteSize() / dtype.byteSize());
        }
        DeviceArray a = DeviceArray.allocate(cuda, dtype, n);
        if (n > 0) {
            a.copyFromHost(host, 0, n);
        }
        uploads.incrementAndGet();
        return a;
    }

    @Override
    public Object download(DType dtype, Object buffer, int n) {
        DeviceArray a = array(dtype, buffer, "download");
        a.requireRange("download", 0, n);
        Object host = dtype == DType.F32 ? new float[n] : new double[n];
        if (n > 0) {
            a.copyToHost(0, hostSegment(dtype, host), n);
        }
        downloads.incrementAndGet();
        return host;
    }

    @Override
    public void fill(DType dtype, Object buffer, int offset, int n, double value) {
        DeviceArray x = array(dtype, buffer, "fill");
        x.requireRange("fill", offset, n);
        if (n == 0) {
            return;
        }
        Object v = dtype == DType.F32 ? (Object) (float) value : (Object) value;
        launch("fill" + suffix(dtype), n, x.at(offset), v, (long) n);
    }

    /**
     * The SPD inverse by cuSOLVER (potrf, potrs against the identity), left on the device; a
     * {@link dev.hyperkron.core.linalg.NotPositiveDefiniteException} for a matrix that is not.
     */
    @Override
    public Object spdInverse(DType dtype, Object a, int n) {
        return linalg.spdInverse(array(dtype, a, "spdInverse input"), n);
    }

    /**
     * The eigendecomposition by cuSOLVER (syevd); the eigenvectors come back to the host once to be
     * laid out as columns and go up again in this dtype.
     */
    @Override
    public Eigenpairs symmetricEigen(DType dtype, Object a, int n) {
        CudaLinalg.Eigen eig = linalg.symmetricEigen(array(dtype, a, "symmetricEigen input"), n);
        double[] columns = eig.vectorsAsColumns();
        DeviceArray vectors = dtype == DType.F64 ? DeviceArray.upload(cuda, columns)
                : DeviceArray.upload(cuda, CudaLinalg.toFloat(columns));
        return new Eigenpairs(eig.values(), vectors);
    }

    /** The dot product left on the device: two launches, no wait (the SPI's dot reads it back). */
    @Override
    public void dot(DType dtype, Object a, Object b, int n, Object out) {
        DeviceArray x = array(dtype, a, "dot left operand");
        DeviceArray y = array(dtype, b, "dot right operand");
        DeviceArray z = array(dtype, out, "dot output");
        if (n == 0) {
            fill(dtype, z, 0, 1, 0.0);
        } else {
            deviceKernels(dtype).dotOnDevice(x, y, n, z);
        }
    }

    @Override
    public void convert(DType from, Object src, DType to, Object dst, int n) {
        DeviceArray s = array(from, src, "convert source");
        DeviceArray d = array(to, dst, "convert destination");
        s.requireRange("convert source", 0, n);
        d.requireRange("convert destination", 0, n);
        if (n == 0) {
            return;
        }
        launch("convert" + suffix(from) + suffix(to), n, s.at(0), d.at(0), (long) n);
    }

    @Override
    public void copy(DType dtype, Strided walk, Object src, Object dst) {
        DeviceArray s = operand(dtype, walk, 0, src, "copy source");
        DeviceArray d = operand(dtype, walk, 1, dst, "copy destination");
        StridedWalk.forEachLaunch(walk, (w, n) -> launch("copy_walk" + suffix(dtype), n, w, s.at(0), d.at(0), n));
    }

    @Override
    public void binary(BinaryOp op, DType dtype, Strided walk, Object a, Object b, Object out) {
        DeviceArray x = operand(dtype, walk, 0, a, op + " left operand");
        DeviceArray y = operand(dtype, walk, 1, b, op + " right operand");
        DeviceArray z = operand(dtype, walk, 2, out, op + " output");
        StridedWalk.forEachLaunch(walk, (w, n) -> launch("binary_walk" + suffix(dtype), n, op.ordinal(), w, x.at(0), y.at(0),
                z.at(0), n));
    }

    @Override
    public void select(DType dtype, Strided walk, Object cond, Object a, Object b, Object out) {
        DeviceArray c = operand(dtype, walk, 0, cond, "where condition");
        DeviceArray x = operand(dtype, walk, 1, a, "where first operand");
        DeviceArray y = operand(dtype, walk, 2, b, "where second operand");
        DeviceArray z = operand(dtype, walk, 3, out, "where output");
        StridedWalk.forEachLaunch(walk, (w, n) -> launch("select_walk" + suffix(dtype), n, w, c.at(0), x.at(0), y.at(0),
                z.at(0), n));
    }

    @Override
    public void gather(DType dtype, Object src, int[] positions, Object dst) {
        launchIndexed("gather" + suffix(dtype), dtype, src, positions, dst, false);
    }

    @Override
    public void scatterAdd(DType dtype, Object src, int[] positions, Object dst) {
        launchIndexed("scatter_add" + suffix(dtype), dtype, src, positions, dst, true);
    }

    /**
     * One launch of an index kernel (src, int32 positions, dst, n): gather reads src at the
     * positions, scatter_add writes dst there; the other array is walked from 0 to n.
     */
    private void launchIndexed(String kernel, DType dtype, Object src, int[] positions, Object dst, boolean scatter) {
        DeviceArray s = array(dtype, src, kernel + " source");
        DeviceArray d = array(dtype, dst, kernel + " destination");
        DeviceArray indexed = scatter ? d : s;
        (scatter ? s : d).requireRange(kernel + (scatter ? " source" : " destination"), 0, positions.length);
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= indexed.length()) {
                throw new IllegalArgumentException(kernel + ": position " + positions[i] + " (entry " + i
                        + ") is outside the device array of length " + indexed.length());
            }
        }
        if (positions.length == 0) {
            return;
        }
        synchronized (this) {
            launch(kernel, positions.length, s.at(0), positionsOnDevice(positions), d.at(0), (long) positions.length);
        }
    }

    /**
     * The positions as int32 in the reused device buffer; the caller holds this device's lock until
     * its launch is queued. The copy is a plain one: it waits for earlier launches, the last of which
     * may still read the buffer.
     */
    private MemorySegment positionsOnDevice(int[] values) {
        if (positions == null || positions.length() < values.length) {
            if (positions != null) {
                positions.close();
            }
            positions = DeviceArray.allocate(cuda, DType.F32, Math.max(values.length, 1024)); // 4-byte slots
        }
        positions.copyFromHost(MemorySegment.ofArray(values), 0, values.length);
        return positions.at(0);
    }

    private void launch(String kernel, long n, Object... args) {
        cuda.bindCurrentThread();
        cuda.module.launch(kernel, CudaModule.blocksFor(n), 0, args);
    }

    private DeviceKernels deviceKernels(DType dtype) {
        requireHeld(dtype);
        return dtype == DType.F32 ? f32 : f64;
    }

    /** Operand {@code k}'s buffer, checked to hold every position the walk reaches. */
    private static DeviceArray operand(DType dtype, Strided walk, int k, Object buffer, String what) {
        DeviceArray a = array(dtype, buffer, what);
        if (walk.size() > 0) {
            long[] extent = StridedWalk.extent(walk, k);
            if (extent[0] < 0 || extent[1] >= a.length()) {
                throw new IllegalArgumentException(what + ": the walk reaches elements [" + extent[0] + ", " + extent[1]
                        + "] of a device array of length " + a.length() + " (" + walk + ")");
            }
        }
        return a;
    }

    private static DeviceArray array(DType dtype, Object buffer, String what) {
        if (!(buffer instanceof DeviceArray a)) {
            throw new IllegalArgumentException(what + ": expected a CUDA device buffer, got "
                    + (buffer == null ? "null" : buffer.getClass().getSimpleName()));
        }
        a.requireType(dtype);
        return a;
    }

    private static MemorySegment hostSegment(DType dtype, Object hostArray) {
        if (dtype == DType.F32 && hostArray instanceof float[] f) {
            return MemorySegment.ofArray(f);
        } else if (dtype == DType.F64 && hostArray instanceof double[] d) {
            return MemorySegment.ofArray(d);
        }
        throw new IllegalArgumentException("expected a host " + (dtype == DType.F32 ? "float[]" : "double[]")
                + " for " + dtype + ", got " + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()));
    }

    private void requireHeld(DType dtype) {
        if (!holds(dtype)) {
            throw new IllegalArgumentException(name + " holds F32 and F64 elements, not " + dtype);
        }
    }

    private static String suffix(DType dtype) {
        return dtype == DType.F32 ? "_f32" : "_f64";
    }

    @Override
    public String toString() {
        return name;
    }
}
