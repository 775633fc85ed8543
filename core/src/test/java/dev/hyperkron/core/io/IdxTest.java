package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    private static final Path FASHION_MNIST_TEST_LABELS = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private TensorFileException rejects(String name, byte[] bytes, String... phrases) throws IOException {
        Path file = file(name, bytes);
        TensorFileException e = assertThrows(TensorFileException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "message must name the file: " + e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsUnsignedBytesAsU8() throws IOException {
        byte[] bytes = new ByteFixture().bytes(0, 0, 0x08, 2).i32be(2).i32be(3).bytes(0, 1, 127, 128, 254, 255).toBytes();
        Tensor t = Idx.read(file("images-idx2-ubyte", bytes));
        assertEquals(Tensor.of(new byte[] {0, 1, 127, (byte) 128, (byte) 254, (byte) 255}, 2, 3), t);
        assertEquals(255, t.getLong(1, 2));
    }

    @Test
    void readsSignedBytesShortsAndIntsAsI32() throws IOException {
        byte[] signedBytes = new ByteFixture().bytes(0, 0, 0x09, 1).i32be(3).bytes(0xFF, 0x80, 0x7F).toBytes();
        assertEquals(Tensor.of(new int[] {-1, -128, 127}), Idx.read(file("b.idx", signedBytes)));
        byte[] shorts = new ByteFixture().bytes(0, 0, 0x0B, 1).i32be(3).i16be(-2).i16be(300).i16be(-32768).toBytes();
        assertEquals(Tensor.of(new int[] {-2, 300, -32768}), Idx.read(file("s.idx", shorts)));
        byte[] ints = new ByteFixture().bytes(0, 0, 0x0C, 2).i32be(1).i32be(2).i32be(-7).i32be(Integer.MAX_VALUE).toBytes();
        assertEquals(Tensor.of(new int[] {-7, Integer.MAX_VALUE}, 1, 2), Idx.read(file("i.idx", ints)));
    }

    @Test
    void readsFloatsAsF32AndDoublesAsF64() throws IOException {
        byte[] floats = new ByteFixture().bytes(0, 0, 0x0D, 1).i32be(2).f32be(1.5f).f32be(-0f).toBytes();
        assertEquals(Tensor.of(new float[] {1.5f, -0f}), Idx.read(file("f.idx", floats)));
        byte[] doubles = new ByteFixture().bytes(0, 0, 0x0E, 0).f64be(Math.E).toBytes();
        Tensor scalar = Idx.read(file("d.idx", doubles));
        assertEquals(Shape.scalar(), scalar.shape());
        assertEquals(DType.F64, scalar.dtype());
        assertEquals(Math.E, scalar.item());
    }

    @Test
    void detectsGzipByMagicBytesNotByName() throws IOException {
        byte[] raw = new ByteFixture().bytes(0, 0, 0x08, 1).i32be(4).bytes(9, 8, 7, 6).toBytes();
        Tensor expected = Tensor.of(new byte[] {9, 8, 7, 6});
        assertEquals(expected, Idx.read(file("compressed-but-plain-name.idx", ByteFixture.gzip(raw))));
        assertEquals(expected, Idx.read(file("plain-but-named.gz", raw)));
    }

    @Test
    void aSmallGzipFileDeclaringGigabytesIsRefusedBeforeItsDataIsRead() throws IOException {
        byte[] header = new ByteFixture().bytes(0, 0, 0x08, 1).i32be(2_000_000_000).toBytes();
        byte[] bomb = Arrays.copyOf(header, header.length + (8 << 20)); // 8 MB of zeros, a few KB compressed
        rejects("bomb.idx.gz", ByteFixture.gzip(bomb), "declares 2000000000 bytes", "limit of " + Idx.DEFAULT_MAX_BYTES);
        Path small = file("small.idx", new ByteFixture().bytes(0, 0, 0x08, 1).i32be(4).bytes(1, 2, 3, 4).toBytes());
        TensorFileException e = assertThrows(TensorFileException.class, () -> Idx.read(small, 3));
        assertTrue(e.getMessage().contains("declares 4 bytes") && e.getMessage().contains("limit of 3"), e.getMessage());
        assertEquals(Tensor.of(new byte[] {1, 2, 3, 4}), Idx.read(small, 4));
    }

    @Test
    void writerProducesExactlyTheSpecifiedBytes() throws IOException {
        Path u8 = dir.resolve("u8.idx");
        Idx.write(u8, Tensor.of(new byte[] {1, 2, 3, (byte) 255}, 2, 2));
        assertArrayEquals(new ByteFixture().bytes(0, 0, 0x08, 2).i32be(2).i32be(2).bytes(1, 2, 3, 255).toBytes(),
                Files.readAllBytes(u8));

        Path f32 = dir.resolve("f32.idx");
        Idx.write(f32, Tensor.of(new float[] {0.5f, -3f, Float.MAX_VALUE}));
        byte[] expectedF32 = new ByteFixture().bytes(0, 0, 0x0D, 1).i32be(3)
                .f32be(0.5f).f32be(-3f).f32be(Float.MAX_VALUE).toBytes();
        assertArrayEquals(expectedF32, Files.readAllBytes(f32));

        Path gz = dir.resolve("f32.idx.gz");
        Idx.writeGzip(gz, Tensor.of(new float[] {0.5f, -3f, Float.MAX_VALUE}));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(gz)))) {
            assertArrayEquals(expectedF32, in.readAllBytes());
        }
    }

    @Test
    void writerRejectsI64NamingTheFile() {
        Path file = dir.resolve("long.idx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.write(file, Tensor.zeros(DType.I64, 2)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("no type for I64"), e.getMessage());
    }

    @Test
    void rejectsEmptyFilesAndBadMagic() throws IOException {
        rejects("empty.idx", new byte[0], "truncated: 0 bytes", "magic number");
        rejects("magic.idx", new ByteFixture().bytes(1, 0, 8, 1).i32be(0).toBytes(), "bad magic number 0x01000801");
        rejects("magic2.idx", new ByteFixture().bytes(0, 7, 8, 1).i32be(0).toBytes(), "bad magic number 0x00070801");
    }

    @Test
    void rejectsUnsupportedTypesListingTheSupportedOnes() throws IOException {
        rejects("type.idx", new ByteFixture().bytes(0, 0, 0x0A, 1).i32be(0).toBytes(),
                "unsupported IDX type code 0x0A", "0x08 ubyte", "0x0E double");
    }

    @Test
    void rejectsTruncatedHeadersAndData() throws IOException {
        rejects("dims.idx", new ByteFixture().bytes(0, 0, 0x08, 3).i32be(2).i32be(2).toBytes(),
                "truncated header: rank 3 needs 12 bytes of dimension sizes but only 8");
        rejects("data.idx", new ByteFixture().bytes(0, 0, 0x0D, 1).i32be(3).f32be(1).f32be(2).toBytes(),
                "truncated data: shape [3] of 0x0D float needs 12 bytes but only 8");
        rejects("huge.idx", new ByteFixture().bytes(0, 0, 0x08, 2).i32be(65536).i32be(65536).toBytes(),
                "larger than 2^31-1 elements");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] bytes = new ByteFixture().bytes(0, 0, 0x08, 1).i32be(2).bytes(1, 2, 3, 4).toBytes();
        rejects("trailing.idx", bytes, "2 trailing bytes after the 2 bytes of data for shape [2]");
        rejects("trailing.idx.gz", ByteFixture.gzip(bytes), "2 trailing bytes");
    }

    @Test
    void rejectsTruncatedAndCorruptGzip() throws IOException {
        byte[] raw = new ByteFixture().bytes(0, 0, 0x08, 1).i32be(1000).bytes(new byte[1000]).toBytes();
        byte[] gz = ByteFixture.gzip(raw);
        rejects("cut.gz", Arrays.copyOf(gz, gz.length / 2), "truncated gzip stream");
        rejects("cut-header.gz", Arrays.copyOf(gz, 5), "truncated gzip stream");
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 0x55;
        rejects("crc.gz", badCrc, "corrupt gzip stream");
    }

    @Test
    void readsTheFashionMnistTestLabels() throws IOException {
        assumeTrue(Files.isReadable(FASHION_MNIST_TEST_LABELS),
                "skipped: " + FASHION_MNIST_TEST_LABELS + " is not present on this machine");
        Tensor labels = Idx.read(FASHION_MNIST_TEST_LABELS);
        assertEquals(DType.U8, labels.dtype());
        assertEquals(Shape.of(10000), labels.shape());
        long[] counts = new long[10];
        for (int i = 0; i < labels.size(); i++) {
            long label = labels.getLong(i);
            assertTrue(label >= 0 && label <= 9, "label " + label + " at " + i);
            counts[(int) label]++;
        }
        long[] thousandEach = new long[10];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, counts, "the Fashion-MNIST test set is balanced");
    }
}
