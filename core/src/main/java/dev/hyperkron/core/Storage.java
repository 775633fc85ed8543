package dev.hyperkron.core;

/**
 * The elements of a tensor: one heap array of the tensor's {@link DType}. Kept behind this
 * small type so that another residence (a device buffer) can be added without touching the ops.
 */
public final class Storage {
    private final DType dtype;
    private final Object array;
    private final int size;

    private Storage(DType dtype, Object array, int size) {
        this.dtype = dtype;
        this.array = array;
        this.size = size;
    }

    /** Zeroed storage of {@code n} elements. */
    public static Storage allocate(DType dtype, int n) {
        return new Storage(dtype, dtype.allocate(n), n);
    }

    /** Wraps (does not copy) a Java array: float[], double[], int[], long[] or byte[]. */
    public static Storage wrap(Object array) {
        if (array instanceof float[] a) {
            return new Storage(DType.F32, a, a.length);
        } else if (array instanceof double[] a) {
            return new Storage(DType.F64, a, a.length);
        } else if (array instanceof int[] a) {
            return new Storage(DType.I32, a, a.length);
        } else if (array instanceof long[] a) {
            return new Storage(DType.I64, a, a.length);
        } else if (array instanceof byte[] a) {
            return new Storage(DType.U8, a, a.length);
        }
        throw new IllegalArgumentException("cannot wrap " + (array == null ? "null" : array.getClass().getSimpleName())
                + " as tensor storage: expected float[], double[], int[], long[] or byte[]");
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return size;
    }

    /** The backing array (float[], double[], int[], long[] or byte[] according to the dtype). */
    public Object array() {
        return array;
    }

    /** Element {@code i} widened to double. */
    public double getDouble(int i) {
        return switch (dtype) {
            case F32 -> ((float[]) array)[i];
            case F64 -> ((double[]) array)[i];
            case I32 -> ((int[]) array)[i];
            case I64 -> ((long[]) array)[i];
            case U8 -> ((byte[]) array)[i] & 0xFF;
        };
    }

    /** Element {@code i} as a long (floating values are truncated toward zero). */
    public long getLong(int i) {
        return switch (dtype) {
            case I64 -> ((long[]) array)[i];
            case I32 -> ((int[]) array)[i];
            case U8 -> ((byte[]) array)[i] & 0xFF;
            default -> (long) getDouble(i);
        };
    }

    /** Sets element {@code i}, narrowing {@code value} to the dtype. */
    public void setDouble(int i, double value) {
        switch (dtype) {
            case F32 -> ((float[]) array)[i] = (float) value;
            case F64 -> ((double[]) array)[i] = value;
            case I32 -> ((int[]) array)[i] = (int) value;
            case I64 -> ((long[]) array)[i] = (long) value;
            case U8 -> ((byte[]) array)[i] = (byte) (int) value;
        }
    }

    /** Sets element {@code i} from a long (exact for the integer types). */
    public void setLong(int i, long value) {
        switch (dtype) {
            case I64 -> ((long[]) array)[i] = value;
            case I32 -> ((int[]) array)[i] = (int) value;
            case U8 -> ((byte[]) array)[i] = (byte) value;
            default -> setDouble(i, value);
        }
    }
}
