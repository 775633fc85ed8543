package dev.hyperkron.core.io;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads NumPy {@code .npy} files, the array format data sets from the Python world come in
 * (label vectors, embeddings). Format: the magic {@code \x93NUMPY}, a version (1.0, 2.0 or 3.0),
 * a little-endian header length (2 bytes in version 1, 4 after), a Python dict literal with
 * {@code descr} (byte order and type, such as {@code '<i8'}), {@code fortran_order} and
 * {@code shape}, then the elements.
 *
 * <p>Supported: little- and big-endian (and byte-order-free one-byte) floats f2/f4/f8, signed
 * integers i1..i8, unsigned u1/u2/u4 and booleans, in C (row-major) order; types are widened
 * as {@link StoredType} describes (f2 to F32, i1/i2/u2 to I32, u4 to I64, b1 to U8). Fortran
 * order, object arrays (pickles), strings, structured and other types are rejected with a
 * {@link TensorFileException} that names the file, the header field and its value.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers above this size unless told otherwise; so do we. */
    static final int MAX_HEADER_BYTES = 10_000;

    private Npy() {
    }

    /** Reads the array in {@code file}. */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            String source = file.toString();
            long size = channel.size();
            ByteBuffer prefix = readAt(channel, source, 0, (int) Math.min(size, 12));
            if (prefix.remaining() < 10 || !startsWithMagic(prefix)) {
                throw new TensorFileException(file, "not a NumPy .npy file: it does not start with the magic \\x93NUMPY"
                        + (prefix.remaining() < 10 ? " and a version (only " + size + " bytes)" : ""));
            }
            int major = prefix.get(6) & 0xFF;
            int minor = prefix.get(7) & 0xFF;
            if (major < 1 || major > 3 || minor != 0) {
                throw new TensorFileException(file, "format version " + major + "." + minor
                        + " is not supported (supported: 1.0, 2.0, 3.0)");
            }
            int lengthBytes = major == 1 ? 2 : 4;
            if (prefix.remaining() < 8 + lengthBytes) {
                throw new TensorFileException(file, "truncated: the file ends inside the header length of version "
                        + major + ".0");
            }
            long headerLength = major == 1 ? prefix.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF
                    : prefix.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xFFFF_FFFFL;
            long dataStart = 8 + lengthBytes + headerLength;
            if (headerLength > MAX_HEADER_BYTES) {
                throw new TensorFileException(file, "header length " + headerLength + " exceeds " + MAX_HEADER_BYTES
                        + " bytes (not a .npy file, or a hostile one)");
            }
            if (dataStart > size) {
                throw new TensorFileException(file, "truncated: the header declares " + headerLength + " bytes but only "
                        + (size - 8 - lengthBytes) + " follow the length field");
            }
            ByteBuffer headerBytes = readAt(channel, source, 8 + lengthBytes, (int) headerLength);
            String header = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = Header.parse(file, header);

            long expected = (long) h.shape.size() * h.type.byteSize;
            long available = size - dataStart;
            if (available != expected) {
                throw new TensorFileException(file, (available < expected ? "truncated: " : "") + "shape " + h.shape + " of '"
                        + h.descr + "' needs " + h.shape.size() + " x " + h.type.byteSize + " = " + expected
                        + " data bytes but the file has " + available + " after the header");
            }
            Storage storage = Storage.allocate(h.type.target, h.shape.size());
            channel.position(dataStart);
            ElementBytes.read(channel, ElementBytes.chunk(expected, h.order), h.type, storage);
            return Tensor.wrap(storage, h.shape);
        }
    }

    private static boolean startsWithMagic(ByteBuffer prefix) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer readAt(FileChannel channel, String source, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new TensorFileException(source, "file ended at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    /** The checked header dict. */
    private record Header(String descr, StoredType type, ByteOrder order, Shape shape) {
        static Header parse(Path file, String text) throws TensorFileException {
            Object value;
            try {
                value = new Literal(text).document();
            } catch (IllegalArgumentException e) {
                throw new TensorFileException(file, "header is not a Python dict literal: " + e.getMessage()
                        + " in " + text.strip());
            }
            if (!(value instanceof Map<?, ?> dict)) {
                throw new TensorFileException(file, "header must be a dict but is " + text.strip());
            }
            if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
                throw new TensorFileException(file, "header must have exactly the keys descr, fortran_order and shape but has "
                        + dict.keySet());
            }
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean f)) {
                throw new TensorFileException(file, "header field fortran_order must be True or False but is " + fortran);
            }
            if (f) {
                throw new TensorFileException(file, "header field fortran_order is True: Fortran (column-major) arrays are "
                        + "not supported; save a C-ordered copy (numpy.ascontiguousarray)");
            }
            Object descr = dict.get("descr");
            if (!(descr instanceof String d)) {
                throw new TensorFileException(file, "header field descr is " + descr
                        + ": structured (record) arrays are not supported, only plain numeric types");
            }
            return new Header(d, type(file, d), order(file, d), shape(file, dict.get("shape")));
        }

        private static ByteOrder order(Path file, String descr) throws TensorFileException {
            return switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                default -> throw new TensorFileException(file, "header field descr '" + descr
                        + "' does not start with a byte order '<', '>' or '|'");
            };
        }

        private static StoredType type(Path file, String descr) throws TensorFileException {
            String code = descr.length() > 1 ? descr.substring(1) : "";
            StoredType type = switch (code) {
                case "f2" -> StoredType.F16;
                case "f4" -> StoredType.F32;
                case "f8" -> StoredType.F64;
                case "i1" -> StoredType.I8;
                case "i2" -> StoredType.I16;
                case "i4" -> StoredType.I32;
                case "i8" -> StoredType.I64;
                case "u1" -> StoredType.U8;
                case "u2" -> StoredType.U16;
                case "u4" -> StoredType.U32;
                case "b1" -> StoredType.BOOL;
                default -> null;
            };
            if (type == null) {
                throw new TensorFileException(file, "header field descr '" + descr + "' is not supported"
                        + (code.startsWith("O") ? ": object arrays hold pickled Python objects, not numbers" : "")
                        + " (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 b1 with byte order < > or |)");
            }
            return type;
        }

        private static Shape shape(Path file, Object value) throws TensorFileException {
            if (!(value instanceof List<?> dims)) {
                throw new TensorFileException(file, "header field shape must be a tuple of integers but is " + value);
            }
            int[] shape = new int[dims.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                    throw new TensorFileException(file, "header field shape " + dims + " has dimension " + i
                            + " = " + dims.get(i) + ", not an integer in [0, " + Integer.MAX_VALUE + "]");
                }
                shape[i] = (int) (long) d;
                elements *= shape[i];
                if (elements > Integer.MAX_VALUE) {
                    throw new TensorFileException(file, "header field shape " + dims + " has more than "
                            + Integer.MAX_VALUE + " elements, more than a Tensor holds");
                }
            }
            return Shape.of(shape);
        }
    }

    /**
     * The subset of Python literal syntax NumPy writes in headers: dicts, tuples and lists,
     * single- or double-quoted strings without escapes, integers, True and False.
     */
    private static final class Literal {
        private final String text;
        private int at;

        Literal(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            skipSpace();
            if (at != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.charAt(at) + "' at character " + at);
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = text.charAt(at);
            if (c == '{') {
                at++;
                Map<String, Object> dict = new LinkedHashMap<>();
                while (!closes('}')) {
                    Object key = value();
                    if (!(key instanceof String k)) {
                        throw new IllegalArgumentException("dict key " + key + " is not a string");
                    }
                    expect(':');
                    if (dict.put(k, value()) != null) {
                        throw new IllegalArgumentException("duplicate key '" + k + "'");
                    }
                    separator('}');
                }
                return dict;
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                at++;
                List<Object> items = new ArrayList<>();
                while (!closes(close)) {
                    items.add(value());
                    separator(close);
                }
                return items;
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, at + 1);
                if (end < 0 || text.substring(at + 1, end).indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("unterminated or escaped string at character " + at);
                }
                String s = text.substring(at + 1, end);
                at = end + 1;
                return s;
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '-')) {
                at++;
            }
            String word = text.substring(start, at);
            if (word.equals("True") || word.equals("False")) {
                return word.equals("True");
            }
            try {
                return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word)
                        + "' at character " + start);
            }
        }

        private boolean closes(char close) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == close) {
                at++;
                return true;
            }
            return false;
        }

        private void separator(char close) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at >= text.length() || text.charAt(at) != close) {
                throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + at);
            }
        }

        private void expect(char c) {
            skipSpace();
            if (at >= text.length() || text.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at character " + at);
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
