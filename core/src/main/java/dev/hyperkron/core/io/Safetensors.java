package dev.hyperkron.core.io;

import dev.hyperkron.core.Device;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files, the tensor format of the PyTorch / Hugging Face world,
 * so weights and checkpoints move between Hyperkron and other tools. Layout: an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to its dtype,
 * shape and [begin, end) byte range in the data buffer that follows (plus an optional
 * {@code "__metadata__"} string map), then the little-endian row-major data, tensors tiling the
 * buffer without holes. The reader accepts the dtypes checkpoints use (F16, BF16, F32, F64, I8,
 * I16, U16, I32, U32, I64, U8, BOOL) and widens those Hyperkron does not compute in (half
 * precision to F32, small integers to I32 or I64, BOOL to U8); the writer stores the
 * {@link dev.hyperkron.core.DType}s exactly.
 *
 * <p>Malformed files raise {@link TensorFileException} (an IOException) naming the file and
 * the problem; invalid arguments to {@code write} raise IllegalArgumentException.
 */
public final class Safetensors {
    /** The format caps the header at 100 MB so hostile files cannot force a huge JSON parse. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int LENGTH_BYTES = 8;

    private Safetensors() {
    }

    /** Reads every tensor and the metadata; tensors keep the header's order. */
    public static TensorFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < LENGTH_BYTES) {
                throw new TensorFileException(file, "truncated: the file has " + fileSize
                        + " bytes but a safetensors file starts with an 8-byte header length");
            }
            long headerLength = readFully(file, channel, 0, LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long available = fileSize - LENGTH_BYTES;
            if (headerLength < 0 || headerLength > available) {
                throw new TensorFileException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the " + available + " bytes after the length field (truncated or not a safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new TensorFileException(file, "header length " + headerLength + " exceeds the format's limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            String json = decodeHeader(file, readFully(file, channel, LENGTH_BYTES, (int) headerLength));
            long dataStart = LENGTH_BYTES + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, fileSize - dataStart);

            ByteBuffer chunk = ElementBytes.chunk(fileSize - dataStart, ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                Storage storage = Storage.allocate(e.stored().target, e.shape().size());
                channel.position(dataStart + e.begin());
                if (ElementBytes.read(channel, chunk, e.stored(), storage) < storage.size()) {
                    throw new TensorFileException(file, "file ended inside the data of tensor "
                            + JsonWriter.quote(e.name()) + " (was it truncated while being read?)");
                }
                tensors.put(e.name(), Tensor.wrap(storage, e.shape()));
            }
            return new TensorFile(tensors, header.metadata());
        }
    }

    /** Writes tensors without metadata; see {@link #write(Path, TensorFile)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, TensorFile.of(tensors));
    }

    /**
     * Writes (creating or replacing) a safetensors file. The output is a function of the
     * contents alone: header entries in map order, compact JSON padded with spaces so the data
     * starts at a multiple of 8 bytes, and the data ordered by decreasing element size (stable)
     * so every tensor starts at a multiple of its element size, which zero-copy readers rely on.
     */
    public static void write(Path file, TensorFile contents) throws IOException {
        for (String name : contents.tensors().keySet()) {
            String problem = SafetensorsHeader.nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("Safetensors.write " + file + ": " + problem);
            }
        }
        List<SafetensorsHeader.Entry> entries = layout(contents.tensors());
        String json;
        try {
            json = SafetensorsHeader.encode(entries, contents.metadata());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Safetensors.write " + file + ": cannot encode the header: " + e.getMessage(), e);
        }
        byte[] header = paddedHeader(json);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("Safetensors.write " + file + ": header of " + header.length
                    + " bytes exceeds the format's limit of " + MAX_HEADER_BYTES);
        }

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(LENGTH_BYTES + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            while (prefix.hasRemaining()) {
                channel.write(prefix);
            }
            List<SafetensorsHeader.Entry> dataOrder = new ArrayList<>(entries);
            dataOrder.sort(Comparator.comparingLong(SafetensorsHeader.Entry::begin));
            long dataBytes = entries.stream().mapToLong(SafetensorsHeader.Entry::end).max().orElse(0);
            ByteBuffer chunk = ElementBytes.chunk(dataBytes, ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsHeader.Entry e : dataOrder) {
                // A tensor on a device is written from a host copy.
                ElementBytes.write(channel, chunk, contents.tensor(e.name()).to(Device.host()).storage());
            }
        }
    }

    /** Header entries in map order; data offsets assigned by decreasing element size (stable), which aligns every tensor. */
    private static List<SafetensorsHeader.Entry> layout(Map<String, Tensor> tensors) {
        List<String> dataOrder = new ArrayList<>(tensors.keySet());
        dataOrder.sort(Comparator.comparingInt(name -> -tensors.get(name).dtype().byteSize()));
        Map<String, Long> begins = new HashMap<>();
        long end = 0;
        for (String name : dataOrder) {
            begins.put(name, end);
            end += byteCount(tensors.get(name));
        }
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(new SafetensorsHeader.Entry(
                name, StoredType.of(t.dtype()), t.shape(), begins.get(name), begins.get(name) + byteCount(t))));
        return entries;
    }

    private static long byteCount(Tensor t) {
        return (long) t.size() * t.dtype().byteSize();
    }

    /** UTF-8 header bytes followed by spaces up to a multiple of 8 (the 8-byte length field keeps that alignment). */
    private static byte[] paddedHeader(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(utf8, 0, header, 0, utf8.length);
        Arrays.fill(header, utf8.length, padded, (byte) ' ');
        return header;
    }

    private static String decodeHeader(Path file, ByteBuffer bytes) throws TensorFileException {
        if (!bytes.hasRemaining() || bytes.get(0) != '{') {
            throw new TensorFileException(file, "header must start with '{' but "
                    + (bytes.hasRemaining() ? String.format("starts with byte 0x%02X", bytes.get(0) & 0xFF) : "is empty"));
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(file, "header is not valid UTF-8: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new TensorFileException(file, "file ended at byte " + (position + buffer.position())
                        + " while reading " + length + " bytes from byte " + position);
            }
        }
        return buffer.flip();
    }
}
