package dev.hyperkron.core.io;

import dev.hyperkron.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes .npy images as NumPy's format description specifies, independently of the reader. */
final class NpyFixture {
    private NpyFixture() {
    }

    /** The descr NumPy writes for a tensor of this dtype in this byte order. */
    static String descr(Tensor t, ByteOrder order) {
        String endian = order == ByteOrder.BIG_ENDIAN ? ">" : "<";
        return switch (t.dtype()) {
            case F32 -> endian + "f4";
            case F64 -> endian + "f8";
            case I32 -> endian + "i4";
            case I64 -> endian + "i8";
            case U8 -> "|u1";
        };
    }

    /** A header dict as NumPy writes it: a tuple shape with a trailing comma for rank 1. */
    static String dict(String descr, String fortranOrder, int... dims) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            shape.append(i > 0 ? ", " : "").append(dims[i]);
        }
        shape.append(dims.length == 1 ? ",)" : ")");
        return "{'descr': '" + descr + "', 'fortran_order': " + fortranOrder + ", 'shape': " + shape + ", }";
    }

    /** Magic, version, length and the header padded with spaces and a newline to a multiple of 64 bytes. */
    static ByteFixture header(int major, String dict) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = 8 + (major == 1 ? 2 : 4);
        int total = (prefix + text.length + 1 + 63) / 64 * 64;
        int length = total - prefix;
        ByteFixture f = new ByteFixture().bytes(0x93).utf8("NUMPY").bytes(major, 0);
        if (major == 1) {
            f.bytes(length & 0xFF, length >>> 8);
        } else {
            f.i32le(length);
        }
        return f.bytes(text).spaces(length - text.length - 1).bytes('\n');
    }

    static byte[] encode(Tensor t, ByteOrder order, int major) {
        ByteBuffer data = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(order);
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case F32 -> data.putFloat(((float[]) t.storage().array())[i]);
                case F64 -> data.putDouble(((double[]) t.storage().array())[i]);
                case I32 -> data.putInt(((int[]) t.storage().array())[i]);
                case I64 -> data.putLong(((long[]) t.storage().array())[i]);
                case U8 -> data.put(((byte[]) t.storage().array())[i]);
            }
        }
        return header(major, dict(descr(t, order), "False", t.shape().dims())).bytes(data.array()).toBytes();
    }
}
