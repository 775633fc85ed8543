package dev.hyperkron.core;

/**
 * The elements of a tensor: one buffer of the tensor's {@link DType} on one {@link Device}. On
 * the host the buffer is a Java array ({@link #array()}); elsewhere it is the device's own, and
 * only tensor ops and explicit copies touch it.
 */
public final class Storage {
    private final Device device;
    private final DType dtype;
    private final Object buffer;
    private final int size;

    private Storage(Device device, DType dtype, Object buffer, int size) {
        this.device = device;
        this.dtype = dtype;
        this.buffer = buffer;
        this.size = size;
    }

    /** Zeroed host storage of {@code n} elements. */
    public static Storage allocate(DType dtype, int n) {
        return new Storage(Device.host(), dtype, dtype.allocate(n), n);
    }

    /** Zeroed storage of {@code n} elements on {@code device}. */
    public static Storage allocate(Device device, DType dtype, int n) {
        requireHeld(device, dtype);
        return new Storage(device, dtype, device.allocate(dtype, n), n);
    }

    /** Storage on {@code device} whose elements the caller overwrites before reading (see {@link Device#allocateUninitialized}). */
    static Storage allocateUninitialized(Device device, DType dtype, int n) {
        requireHeld(device, dtype);
        return new Storage(device, dtype, device.allocateUninitialized(dtype, n), n);
    }

    /**
     * Wraps (does not copy) a buffer of {@code n} elements that {@code device} allocated, such as
     * the result of {@link Device#upload}.
     */
    public static Storage wrap(Device device, DType dtype, Object buffer, int n) {
        requireHeld(device, dtype);
        if (device == Device.host()) {
            Storage host = wrap(buffer);
            if (host.dtype != dtype || host.size != n) {
                throw new IllegalArgumentException("a host buffer of " + host.size + " " + host.dtype
                        + " elements cannot be wrapped as " + n + " " + dtype + " elements");
            }
            return host;
        }
        return new Storage(device, dtype, buffer, n);
    }

    /** Wraps (does not copy) a Java array: float[], double[], int[], long[] or byte[]. */
    public static Storage wrap(Object array) {
        if (array instanceof float[] a) {
            return new Storage(Device.host(), DType.F32, a, a.length);
        } else if (array instanceof double[] a) {
            return new Storage(Device.host(), DType.F64, a, a.length);
        } else if (array instanceof int[] a) {
            return new Storage(Device.host(), DType.I32, a, a.length);
        } else if (array instanceof long[] a) {
            return new Storage(Device.host(), DType.I64, a, a.length);
        } else if (array instanceof byte[] a) {
            return new Storage(Device.host(), DType.U8, a, a.length);
        }
        throw new IllegalArgumentException("cannot wrap " + (array == null ? "null" : array.getClass().getSimpleName())
                + " as tensor storage: expected float[], double[], int[], long[] or byte[]");
    }

    static void requireHeld(Device device, DType dtype) {
        if (!device.holds(dtype)) {
            throw new IllegalArgumentException(device.name() + " does not hold " + dtype
                    + " elements; keep " + dtype + " tensors on the host");
        }
    }

    /** Where the elements are. */
    public Device device() {
        return device;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return size;
    }

    /** The device's buffer: a Java array on the host, the device's own handle elsewhere. */
    public Object buffer() {
        return buffer;
    }

    /**
     * The backing Java array (float[], double[], int[], long[] or byte[] according to the dtype)
     * of host storage; an {@link IllegalStateException} for storage on another device.
     */
    public Object array() {
        if (device != Device.host()) {
            throw new IllegalStateException("the " + size + " " + dtype + " elements are on " + device.name()
                    + ", not in a Java array; copy the tensor to the host first (Tensor.to(Device.host()))");
        }
        return buffer;
    }

    /** Element {@code i} widened to double (host storage). */
    public double getDouble(int i) {
        Object array = array();
        return switch (dtype) {
            case F32 -> ((float[]) array)[i];
            case F64 -> ((double[]) array)[i];
            case I32 -> ((int[]) array)[i];
            case I64 -> ((long[]) array)[i];
            case U8 -> ((byte[]) array)[i] & 0xFF;
        };
    }

    /** Element {@code i} as a long (host storage; floating values are truncated toward zero). */
    public long getLong(int i) {
        Object array = array();
        return switch (dtype) {
            case I64 -> ((long[]) array)[i];
            case I32 -> ((int[]) array)[i];
            case U8 -> ((byte[]) array)[i] & 0xFF;
            default -> (long) getDouble(i);
        };
    }

    /** Sets element {@code i} of host storage, narrowing {@code value} to the dtype. */
    public void setDouble(int i, double value) {
        Object array = array();
        switch (dtype) {
            case F32 -> ((float[]) array)[i] = (float) value;
            case F64 -> ((double[]) array)[i] = value;
            case I32 -> ((int[]) array)[i] = (int) value;
            case I64 -> ((long[]) array)[i] = (long) value;
            case U8 -> ((byte[]) array)[i] = (byte) (int) value;
        }
    }

    /** Sets element {@code i} of host storage from a long (exact for the integer types). */
    public void setLong(int i, long value) {
        Object array = array();
        switch (dtype) {
            case I64 -> ((long[]) array)[i] = value;
            case I32 -> ((int[]) array)[i] = (int) value;
            case U8 -> ((byte[]) array)[i] = (byte) value;
            default -> setDouble(i, value);
        }
    }
}
