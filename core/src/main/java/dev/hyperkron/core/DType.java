package dev.hyperkron.core;

/**
 * Element type of a {@link Tensor}. Arithmetic runs on the floating types; the integer
 * types hold indices, labels and tensors read from files.
 */
public enum DType {
    F32(4, true),
    F64(8, true),
    I32(4, false),
    I64(8, false),
    U8(1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether arithmetic and differentiation are defined on this type. */
    public boolean isFloating() {
        return floating;
    }

    /** Allocates a zeroed Java array of this type with {@code n} elements. */
    Object allocate(int n) {
        return switch (this) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case U8 -> new byte[n];
        };
    }
}
