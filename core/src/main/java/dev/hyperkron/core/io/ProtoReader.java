package dev.hyperkron.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over one protobuf message in memory (the wire format: tags, varints, fixed 32- and
 * 64-bit values, length-delimited fields), every read bounds-checked against the message's own
 * end. Errors are {@link TensorFileException}s naming the source, the field being read (as a
 * path such as {@code graph.initializer[3].dims}) and the byte offset, so a truncated or foreign
 * file says where it went wrong instead of reading garbage.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final String source;
    private final ByteBuffer bytes;
    private final String path;
    private final int end;
    private int position;
    private int field;
    private int wireType;

    private ProtoReader(String source, ByteBuffer bytes, String path, int start, int end) {
        this.source = source;
        this.bytes = bytes;
        this.path = path;
        this.position = start;
        this.end = end;
    }

    /** A reader over all of {@code bytes}, the top-level message called {@code path}. */
    static ProtoReader of(String source, ByteBuffer bytes, String path) {
        ByteBuffer little = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new ProtoReader(source, little, path, little.position(), little.limit());
    }

    /** Reads the next tag; false at the end of the message. Afterwards {@link #field()} and {@link #wireType()} describe it. */
    boolean next() throws TensorFileException {
        if (position >= end) {
            return false;
        }
        int tagAt = position;
        long tag = varint("a field tag");
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFF_FFFF) {
            throw error(tagAt, "invalid field number " + (tag >>> 3) + " in a tag");
        }
        if (wireType == 3 || wireType == 4) {
            throw error(tagAt, "field " + field + " uses the group wire type " + wireType + ", which ONNX never uses");
        }
        if (wireType > 5) {
            throw error(tagAt, "field " + field + " has the invalid wire type " + wireType);
        }
        return true;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    /** The message path plus the field name, for error messages. */
    String path(String name) {
        return path + "." + name;
    }

    /** Fails unless the current field has the wire type {@code expected}. */
    void expect(int expected, String name) throws TensorFileException {
        if (wireType != expected) {
            throw error(position, path(name) + " (field " + field + ") has wire type " + wireType + " but must have "
                    + expected);
        }
    }

    /** A base-128 varint of at most ten bytes. */
    long varint(String name) throws TensorFileException {
        int start = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw error(start, "truncated: " + what(name) + " is a varint that runs past the end of " + path);
            }
            byte b = bytes.get(position++);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw error(start, what(name) + " is a varint longer than ten bytes");
    }

    /** A varint field that must fit a non-negative int, such as an enum or a count. */
    int nonNegativeInt(String name) throws TensorFileException {
        expect(VARINT, name);
        int at = position;
        long value = varint(name);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw error(at, path(name) + " is " + value + ", outside [0, " + Integer.MAX_VALUE + "]");
        }
        return (int) value;
    }

    /** The bytes of a length-delimited field, as a little-endian view; the cursor moves past them. */
    ByteBuffer lengthDelimited(String name) throws TensorFileException {
        expect(LENGTH_DELIMITED, name);
        int at = position;
        long length = varint(name + " length");
        if (length < 0 || length > end - position) {
            throw error(at, "truncated: " + path(name) + " declares " + length + " bytes but only " + (end - position)
                    + " remain in " + path + " (truncated file, or not this format)");
        }
        ByteBuffer slice = bytes.duplicate().position(position).limit(position + (int) length).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        position += (int) length;
        return slice;
    }

    /** A nested message field, read by a new cursor whose errors name {@code path.name}. */
    ProtoReader message(String name) throws TensorFileException {
        ByteBuffer body = lengthDelimited(name);
        int start = position - body.remaining();
        return new ProtoReader(source, bytes, path(name), start, start + body.remaining());
    }

    /** A UTF-8 string field. */
    String string(String name) throws TensorFileException {
        ByteBuffer body = lengthDelimited(name);
        byte[] utf8 = new byte[body.remaining()];
        body.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A 32-bit float field (wire type 5). */
    float fixedFloat(String name) throws TensorFileException {
        expect(FIXED32, name);
        requireBytes(4, name);
        float value = bytes.getFloat(position);
        position += 4;
        return value;
    }

    /** A 64-bit fixed field (wire type 1), as its bits. */
    long fixed64(String name) throws TensorFileException {
        expect(FIXED64, name);
        requireBytes(8, name);
        long value = bytes.getLong(position);
        position += 8;
        return value;
    }

    /**
     * Appends the values of a repeated int64/int32 field to {@code into}, packed (one
     * length-delimited run) or not (one varint); returns the new count.
     */
    int repeatedVarints(String name, long[][] into, int count) throws TensorFileException {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = message(name);
            while (packed.position < packed.end) {
                count = append(into, count, packed.varint(name));
            }
            return count;
        }
        expect(VARINT, name);
        return append(into, count, varint(name));
    }

    private static int append(long[][] into, int count, long value) {
        if (count == into[0].length) {
            into[0] = Arrays.copyOf(into[0], Math.max(4, count * 2));
        }
        into[0][count] = value;
        return count + 1;
    }

    /** Skips the current field's value, whatever its wire type. */
    void skip() throws TensorFileException {
        switch (wireType) {
            case VARINT -> varint("field " + field);
            case FIXED64 -> {
                requireBytes(8, "field " + field);
                position += 8;
            }
            case FIXED32 -> {
                requireBytes(4, "field " + field);
                position += 4;
            }
            case LENGTH_DELIMITED -> lengthDelimited("field " + field);
            default -> throw error(position, "cannot skip wire type " + wireType);
        }
    }

    private void requireBytes(int n, String name) throws TensorFileException {
        if (end - position < n) {
            throw error(position, "truncated: " + what(name) + " needs " + n + " bytes but only " + (end - position)
                    + " remain in " + path);
        }
    }

    private String what(String name) {
        return name.startsWith("a ") ? name : path(name);
    }

    /** The path of this message, such as {@code ModelProto.graph.initializer[3]}. */
    String path() {
        return path;
    }

    /** An error at the cursor. */
    TensorFileException error(String problem) {
        return error(position, problem);
    }

    /** An error naming the source, the problem and the absolute byte offset. */
    TensorFileException error(int at, String problem) {
        return new TensorFileException(source, problem + " (at byte " + at + ")");
    }
}
