package dev.hyperkron.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf message written field by field from the wire format specification (tags, base-128
 * varints, length prefixes), independently of the production reader, so ONNX fixtures encode
 * the format rather than our code.
 */
final class ProtoFixture {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoFixture varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoFixture bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoFixture string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoFixture message(int field, ProtoFixture value) {
        return bytes(field, value.toBytes());
    }

    ProtoFixture fixed32(int field, int bits) {
        tag(field, 5);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    ProtoFixture fixed64(int field, long bits) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)));
        }
        return this;
    }

    /** A packed repeated varint field. */
    ProtoFixture packed(int field, long... values) {
        ProtoFixture body = new ProtoFixture();
        for (long v : values) {
            body.rawVarint(v);
        }
        return bytes(field, body.toBytes());
    }

    /** The fields of {@code other} appended as they are (protobuf concatenation merges messages). */
    ProtoFixture append(ProtoFixture other) {
        out.writeBytes(other.toBytes());
        return this;
    }

    ProtoFixture tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
        return this;
    }

    ProtoFixture rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
