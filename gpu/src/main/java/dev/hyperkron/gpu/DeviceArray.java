package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * Elements of one floating type in GPU memory: the storage that {@link DeviceKernels} works on, so
 * that a chain of kernel calls keeps its data on the device. Copies to and from the host happen
 * only at {@link #upload}/{@link #download}. Freed by {@link #close()}, or when unreachable.
 */
public final class DeviceArray implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final DType dtype;
    private final int length;
    private final MemorySegment pointer;
    private final Cleaner.Cleanable cleanable;

    private DeviceArray(CudaDevice device, DType dtype, int length) {
        if (dtype != DType.F32 && dtype != DType.F64) {
            throw new IllegalArgumentException("device arrays hold F32 or F64, not " + dtype);
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative device array length " + length);
        }
        this.device = device;
        this.dtype = dtype;
        this.length = length;
        device.bindCurrentThread();
        long bytes = (long) length * dtype.byteSize();
        MemorySegment p = device.pool.acquire(bytes);
        this.pointer = p;
        DeviceMemoryPool pool = device.pool;
        this.cleanable = CLEANER.register(this, () -> pool.release(p, bytes));
    }

    /** Uninitialised device memory for {@code length} elements. */
    public static DeviceArray allocate(CudaDevice device, DType dtype, int length) {
        return new DeviceArray(device, dtype, length);
    }

    /** Zero-filled device memory. */
    public static DeviceArray zeros(CudaDevice device, DType dtype, int length) {
        DeviceArray a = new DeviceArray(device, dtype, length);
        device.runtime.memset(a.pointer, 0, a.bytes());
        return a;
    }

    /** A device copy of a host float[]. */
    public static DeviceArray upload(CudaDevice device, float[] values) {
        DeviceArray a = new DeviceArray(device, DType.F32, values.length);
        a.copyFromHost(MemorySegment.ofArray(values), 0, values.length);
        return a;
    }

    /** A device copy of a host double[]. */
    public static DeviceArray upload(CudaDevice device, double[] values) {
        DeviceArray a = new DeviceArray(device, DType.F64, values.length);
        a.copyFromHost(MemorySegment.ofArray(values), 0, values.length);
        return a;
    }

    /** The elements as a new host array (float[] or double[]); waits for queued work. */
    public Object download() {
        Object host = dtype == DType.F32 ? new float[length] : new double[length];
        copyToHost(0, host instanceof float[] f ? MemorySegment.ofArray(f) : MemorySegment.ofArray((double[]) host), length);
        return host;
    }

    public float[] downloadF32() {
        requireType(DType.F32);
        return (float[]) download();
    }

    public double[] downloadF64() {
        requireType(DType.F64);
        return (double[]) download();
    }

    public DType dtype() {
        return dtype;
    }

    public int length() {
        return length;
    }

    public CudaDevice device() {
        return device;
    }

    /** Device address of element {@code offset}. */
    MemorySegment at(int offset) {
        return offset == 0 ? pointer : MemorySegment.ofAddress(pointer.address() + (long) offset * dtype.byteSize());
    }

    /** Copies {@code count} elements from a host segment into this array from element 0. */
    void copyFromHost(MemorySegment host, int offset, int count) {
        device.bindCurrentThread();
        device.runtime.memcpy(pointer, host.asSlice((long) offset * dtype.byteSize(), (long) count * dtype.byteSize()),
                (long) count * dtype.byteSize(), CudaRuntime.HOST_TO_DEVICE);
    }

    /** Copies {@code count} elements from element 0 of this array into a host segment at element {@code offset}. */
    void copyToHost(int offset, MemorySegment host, int count) {
        device.bindCurrentThread();
        device.runtime.memcpy(host.asSlice((long) offset * dtype.byteSize(), (long) count * dtype.byteSize()), pointer,
                (long) count * dtype.byteSize(), CudaRuntime.DEVICE_TO_HOST);
    }

    long bytes() {
        return (long) length * dtype.byteSize();
    }

    void requireType(DType expected) {
        if (dtype != expected) {
            throw new IllegalArgumentException("expected a " + expected + " device array, found " + dtype);
        }
    }

    void requireRange(String name, int offset, long count) {
        if (offset < 0 || count < 0 || offset + count > length) {
            throw new IllegalArgumentException(name + ": elements [" + offset + ", " + (offset + count)
                    + ") are outside the device array of length " + length);
        }
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "DeviceArray[" + dtype + " x " + length + " on " + device.name() + "]";
    }
}
