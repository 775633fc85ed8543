package dev.hyperkron.core.io;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST, Fashion-MNIST and their relatives, so those
 * data sets load without converters. Layout: two zero bytes, a type code, the number of
 * dimensions, each dimension as a big-endian 32-bit integer, then the big-endian row-major
 * data. Files may be gzip-compressed; compression is detected from the gzip magic bytes,
 * never from the file name.
 *
 * <p>Types map to tensors as: ubyte (0x08) to U8; byte (0x09), short (0x0B) and int (0x0C) to
 * I32; float (0x0D) to F32; double (0x0E) to F64. Malformed files raise
 * {@link TensorFileException} naming the file and the problem.
 */
public final class Idx {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final String SUPPORTED = "0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double";

    /** The element types of the IDX format. */
    private enum Type {
        UBYTE(0x08, 1, DType.U8),
        BYTE(0x09, 1, DType.I32),
        SHORT(0x0B, 2, DType.I32),
        INT(0x0C, 4, DType.I32),
        FLOAT(0x0D, 4, DType.F32),
        DOUBLE(0x0E, 8, DType.F64);

        final int code;
        final int byteSize;
        final DType dtype;

        Type(int code, int byteSize, DType dtype) {
            this.code = code;
            this.byteSize = byteSize;
            this.dtype = dtype;
        }

        static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        /** The type a tensor of {@code dtype} is written as (I32 as int, the lossless choice), or null if none. */
        static Type forWriting(DType dtype) {
            return switch (dtype) {
                case U8 -> UBYTE;
                case I32 -> INT;
                case F32 -> FLOAT;
                case F64 -> DOUBLE;
                case I64 -> null;
            };
        }

        String label() {
            return String.format("0x%02X %s", code, name().toLowerCase(Locale.ROOT));
        }
    }

    private Idx() {
    }

    /**
     * The most data bytes {@link #read(Path)} accepts (1 GiB; the MNIST family's largest file,
     * EMNIST ByClass training images, has 0.55 GB): a small gzip file may declare and expand to
     * gigabytes.
     */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** Trailing bytes counted for the error message; a gzip stream is not expanded further. */
    private static final int TRAILING_COUNTED = 1 << 16;

    /** Reads a raw or gzip-compressed IDX file of at most {@link #DEFAULT_MAX_BYTES} data bytes. */
    public static Tensor read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads a raw or gzip-compressed IDX file into a tensor of the file's shape, refusing before
     * any data is read a header that declares more than {@code maxBytes} bytes of data, and
     * stopping at the first byte past the declared data (decompression never runs beyond it).
     */
    public static Tensor read(Path file, long maxBytes) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            if (!gzip) {
                return readContents(file, raw, maxBytes);
            }
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                return readContents(file, in, maxBytes);
            } catch (EOFException e) {
                throw new TensorFileException(file, "truncated gzip stream: " + e.getMessage(), e);
            } catch (ZipException e) {
                throw new TensorFileException(file, "corrupt gzip stream: " + e.getMessage(), e);
            }
        }
    }

    private static Tensor readContents(Path file, InputStream in, long maxBytes) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new TensorFileException(file, "truncated: " + magic.length
                    + " bytes where the 4-byte IDX magic number (0x00 0x00 type ndims) should be");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new TensorFileException(file, String.format(
                    "bad magic number 0x%02X%02X%02X%02X: an IDX file starts with two zero bytes, a type code and the rank",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        Type type = Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new TensorFileException(file, String.format("unsupported IDX type code 0x%02X (supported: %s)",
                    magic[2] & 0xFF, SUPPORTED));
        }
        Shape shape = readShape(file, in, magic[3] & 0xFF);
        long byteCount = (long) shape.size() * type.byteSize;
        if (byteCount > Integer.MAX_VALUE - 8) {
            throw new TensorFileException(file, "shape " + shape + " of " + type.label() + " needs " + byteCount
                    + " bytes, more than one array holds");
        }
        if (byteCount > maxBytes) {
            throw new TensorFileException(file, "shape " + shape + " of " + type.label() + " declares " + byteCount
                    + " bytes of data, more than the limit of " + maxBytes + " (Idx.read(file, maxBytes) raises it)");
        }
        byte[] data = in.readNBytes((int) byteCount);
        if (data.length < byteCount) {
            throw new TensorFileException(file, "truncated data: shape " + shape + " of " + type.label() + " needs "
                    + byteCount + " bytes but only " + data.length + " follow the header");
        }
        long trailing = in.readNBytes(TRAILING_COUNTED).length;
        if (trailing > 0) {
            throw new TensorFileException(file, (trailing == TRAILING_COUNTED ? "at least " : "") + trailing
                    + " trailing bytes after the " + byteCount + " bytes of data for shape " + shape + " of " + type.label());
        }
        return Tensor.wrap(decode(type, data), shape);
    }

    private static Shape readShape(Path file, InputStream in, int rank) throws IOException {
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw new TensorFileException(file, "truncated header: rank " + rank + " needs " + 4 * rank
                    + " bytes of dimension sizes but only " + header.length + " follow the magic number");
        }
        ByteBuffer dimBytes = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            long d = Integer.toUnsignedLong(dimBytes.getInt());
            if (d > Integer.MAX_VALUE || (elements *= d) > Integer.MAX_VALUE) {
                throw new TensorFileException(file, "dimension " + i + " of size " + d
                        + " makes the tensor larger than 2^31-1 elements");
            }
            dims[i] = (int) d;
        }
        return Shape.of(dims);
    }

    private static Storage decode(Type type, byte[] data) {
        ByteBuffer big = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        int n = data.length / type.byteSize;
        switch (type) {
            case UBYTE:
                return Storage.wrap(data);
            case BYTE: {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = data[i];
                }
                return Storage.wrap(values);
            }
            case SHORT: {
                short[] shorts = new short[n];
                big.asShortBuffer().get(shorts);
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = shorts[i];
                }
                return Storage.wrap(values);
            }
            default: {
                Storage storage = Storage.allocate(type.dtype, n);
                ElementBytes.decode(big, storage, 0, n);
                return storage;
            }
        }
    }

    /** Writes an uncompressed IDX file: U8 as ubyte, I32 as int, F32 as float, F64 as double. */
    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor, false);
    }

    /** Like {@link #write} but gzip-compressed, as the MNIST family is distributed. */
    public static void writeGzip(Path file, Tensor tensor) throws IOException {
        write(file, tensor, true);
    }

    private static void write(Path file, Tensor tensor, boolean gzip) throws IOException {
        Type type = Type.forWriting(tensor.dtype());
        if (type == null) {
            throw new IllegalArgumentException("Idx.write " + file + ": IDX has no type for " + tensor.dtype()
                    + " (writable: U8, I32, F32, F64); cast the tensor first");
        }
        if (tensor.rank() > 255) {
            throw new IllegalArgumentException("Idx.write " + file + ": IDX stores at most 255 dimensions, the tensor has "
                    + tensor.rank());
        }
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * tensor.rank()).order(ByteOrder.BIG_ENDIAN);
        header.put((byte) 0).put((byte) 0).put((byte) type.code).put((byte) tensor.rank());
        for (int d : tensor.shape().dims()) {
            header.putInt(d);
        }
        try (OutputStream fileOut = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(fileOut, 1 << 16) : new BufferedOutputStream(fileOut, 1 << 16)) {
            out.write(header.array());
            ByteBuffer chunk = ElementBytes.chunk((long) tensor.size() * type.byteSize, ByteOrder.BIG_ENDIAN);
            ElementBytes.write(Channels.newChannel(out), chunk, tensor.to(Device.host()).storage());
        }
    }
}
