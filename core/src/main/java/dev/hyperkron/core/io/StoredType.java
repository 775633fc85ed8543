package dev.hyperkron.core.io;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Storage;
import java.nio.ByteBuffer;

/**
 * An element type as files store it (safetensors, NumPy .npy, ONNX), together with the
 * {@link DType} it is read into. Files from other tools use types Hyperkron does not compute
 * in (half precision, 8- and 16-bit integers, booleans); each is widened losslessly on load:
 * F16 and BF16 to F32, I8, I16 and U16 to I32, U32 to I64, BOOL to U8. One table for every
 * reader, so they all widen the same way.
 */
enum StoredType {
    F16(2, DType.F32),
    BF16(2, DType.F32),
    F32(4, DType.F32),
    F64(8, DType.F64),
    I8(1, DType.I32),
    I16(2, DType.I32),
    U16(2, DType.I32),
    I32(4, DType.I32),
    U32(4, DType.I64),
    I64(8, DType.I64),
    U8(1, DType.U8),
    BOOL(1, DType.U8);

    final int byteSize;
    final DType target;

    StoredType(int byteSize, DType target) {
        this.byteSize = byteSize;
        this.target = target;
    }

    /** The stored type that holds {@code dtype} exactly (the writers' choice). */
    static StoredType of(DType dtype) {
        return switch (dtype) {
            case F32 -> F32;
            case F64 -> F64;
            case I32 -> I32;
            case I64 -> I64;
            case U8 -> U8;
        };
    }

    /** Whether elements are copied as they are rather than widened. */
    boolean isExact() {
        return byteSize == target.byteSize() && this != BOOL;
    }

    /**
     * Decodes {@code count} elements from {@code src} (in its byte order) into
     * {@code dst[from..]}, widening where needed; advances src. BOOL bytes other than 0 and 1
     * are kept as they are: the readers' callers decide what such a file means.
     */
    void decode(ByteBuffer src, Storage dst, int from, int count) {
        if (isExact() || this == BOOL) {
            ElementBytes.decode(src, dst, from, count);
            return;
        }
        Object array = dst.array();
        for (int i = from; i < from + count; i++) {
            switch (this) {
                case F16 -> ((float[]) array)[i] = halfToFloat(src.getShort());
                case BF16 -> ((float[]) array)[i] = Float.intBitsToFloat((src.getShort() & 0xFFFF) << 16);
                case I8 -> ((int[]) array)[i] = src.get();
                case I16 -> ((int[]) array)[i] = src.getShort();
                case U16 -> ((int[]) array)[i] = src.getShort() & 0xFFFF;
                case U32 -> ((long[]) array)[i] = src.getInt() & 0xFFFF_FFFFL;
                default -> throw new IllegalStateException("no widening from " + this);
            }
        }
    }

    /** IEEE 754 binary16 to binary32, exactly (every half value is a float): Float.float16ToFloat arrived only in Java 20. */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
