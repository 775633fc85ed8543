package dev.hyperkron.core.io;

import dev.hyperkron.core.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Moves tensor elements between storage arrays and bytes in a given byte order, in bulk through
 * typed ByteBuffer views (the JDK turns these into memory copies with byte swapping where
 * needed) and in bounded chunks, so files of any size stream through a small buffer.
 */
final class ElementBytes {
    /** The largest chunk buffer: a multiple of every element size. */
    static final int CHUNK_BYTES = 1 << 20;

    private ElementBytes() {
    }

    /** A chunk buffer for moving {@code totalBytes} in the given order: no larger than needed, at least 8 bytes. */
    static ByteBuffer chunk(long totalBytes, ByteOrder order) {
        int capacity = (int) Math.min(CHUNK_BYTES, Math.max(8, (totalBytes + 7) / 8 * 8));
        return ByteBuffer.allocate(capacity).order(order);
    }

    /** Copies {@code count} elements from {@code src} (in its byte order) into {@code dst[from..]}; advances src. */
    static void decode(ByteBuffer src, Storage dst, int from, int count) {
        Object array = dst.array();
        switch (dst.dtype()) {
            case F32 -> src.asFloatBuffer().get((float[]) array, from, count);
            case F64 -> src.asDoubleBuffer().get((double[]) array, from, count);
            case I32 -> src.asIntBuffer().get((int[]) array, from, count);
            case I64 -> src.asLongBuffer().get((long[]) array, from, count);
            case U8 -> src.duplicate().get((byte[]) array, from, count);
        }
        src.position(src.position() + count * dst.dtype().byteSize());
    }

    /** Copies {@code count} elements of {@code src[from..]} into {@code dst} (in its byte order); advances dst. */
    static void encode(Storage src, int from, int count, ByteBuffer dst) {
        Object array = src.array();
        switch (src.dtype()) {
            case F32 -> dst.asFloatBuffer().put((float[]) array, from, count);
            case F64 -> dst.asDoubleBuffer().put((double[]) array, from, count);
            case I32 -> dst.asIntBuffer().put((int[]) array, from, count);
            case I64 -> dst.asLongBuffer().put((long[]) array, from, count);
            case U8 -> dst.duplicate().put((byte[]) array, from, count);
        }
        dst.position(dst.position() + count * src.dtype().byteSize());
    }

    /**
     * Fills all of {@code dst} from the channel through {@code chunk} (whose byte order is the
     * file's), reading elements stored as {@code stored} and widening them to dst's type.
     * Returns the number of elements filled: fewer than {@code dst.size()} only when the
     * channel ended early.
     */
    static int read(ReadableByteChannel in, ByteBuffer chunk, StoredType stored, Storage dst) throws IOException {
        int elementSize = stored.byteSize;
        int perChunk = chunk.capacity() / elementSize;
        int done = 0;
        while (done < dst.size()) {
            int n = Math.min(perChunk, dst.size() - done);
            chunk.clear().limit(n * elementSize);
            while (chunk.hasRemaining()) {
                if (in.read(chunk) < 0) {
                    chunk.flip();
                    int whole = chunk.remaining() / elementSize;
                    stored.decode(chunk, dst, done, whole);
                    return done + whole;
                }
            }
            chunk.flip();
            stored.decode(chunk, dst, done, n);
            done += n;
        }
        return done;
    }

    /** Writes all of {@code src} to the channel through {@code chunk} (whose byte order is the file's). */
    static void write(WritableByteChannel out, ByteBuffer chunk, Storage src) throws IOException {
        int elementSize = src.dtype().byteSize();
        int perChunk = chunk.capacity() / elementSize;
        for (int done = 0; done < src.size(); ) {
            int n = Math.min(perChunk, src.size() - done);
            chunk.clear();
            encode(src, done, n, chunk);
            chunk.flip();
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            done += n;
        }
    }
}
