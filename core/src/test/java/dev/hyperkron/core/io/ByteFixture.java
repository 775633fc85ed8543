package dev.hyperkron.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds file images byte by byte with explicit shifts, independently of the production
 * readers and writers, so fixtures encode the format specifications rather than our code.
 */
final class ByteFixture {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ByteFixture bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    ByteFixture bytes(byte[] values) {
        out.writeBytes(values);
        return this;
    }

    ByteFixture utf8(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    ByteFixture spaces(int n) {
        for (int i = 0; i < n; i++) {
            out.write(' ');
        }
        return this;
    }

    ByteFixture u64le(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    ByteFixture i32le(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    ByteFixture f32le(float v) {
        return i32le(Float.floatToRawIntBits(v));
    }

    ByteFixture f64le(double v) {
        return u64le(Double.doubleToRawLongBits(v));
    }

    ByteFixture i16be(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    ByteFixture i32be(int v) {
        for (int i = 3; i >= 0; i--) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    ByteFixture f32be(float v) {
        return i32be(Float.floatToRawIntBits(v));
    }

    ByteFixture f64be(double v) {
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    Path writeTo(Path file) {
        try {
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
