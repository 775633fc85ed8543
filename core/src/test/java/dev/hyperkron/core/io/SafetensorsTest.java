package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A safetensors image: length prefix, header text (unpadded), then the data bytes. */
    private static byte[] image(String header, ByteFixture data) {
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ByteFixture().u64le(json.length).bytes(json).bytes(data.toBytes()).toBytes();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private TensorFileException rejects(String name, byte[] bytes) throws IOException {
        Path file = file(name, bytes);
        TensorFileException e = assertThrows(TensorFileException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "message must name the file: " + e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    private static void assertMentions(Exception e, String... phrases) {
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    @Test
    void readsAHandBuiltFileInHeaderOrderWithMetadata() throws IOException {
        String header = "{\"__metadata__\": {\"format\": \"pt\", \"note\": \"caf\\u00e9\"},\n"
                + " \"w\\u00e9ight\": {\"shape\": [2, 2], \"dtype\": \"F32\", \"data_offsets\": [16, 32]},\n"
                + " \"steps\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]},\n"
                + " \"ids\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [32, 36]},\n"
                + " \"flag\": {\"dtype\": \"U8\", \"shape\": [], \"data_offsets\": [36, 37]},\n"
                + " \"empty\": {\"dtype\": \"F64\", \"shape\": [0, 3], \"data_offsets\": [37, 37]},\n"
                + " \"x\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [37, 45]}}     ";
        ByteFixture data = new ByteFixture()
                .u64le(7).u64le(-1)
                .f32le(1f).f32le(-2.5f).f32le(Float.NaN).f32le(Float.NEGATIVE_INFINITY)
                .i32le(-123456)
                .bytes(200)
                .f64le(Math.PI);
        TensorFile read = Safetensors.read(file("fixture.safetensors", image(header, data)));

        assertEquals(List.of("wéight", "steps", "ids", "flag", "empty", "x"), new ArrayList<>(read.tensors().keySet()));
        assertEquals(Map.of("format", "pt", "note", "café"), read.metadata());
        assertEquals(Tensor.of(new float[] {1f, -2.5f, Float.NaN, Float.NEGATIVE_INFINITY}, 2, 2), read.tensor("wéight"));
        assertEquals(Tensor.of(new long[] {7, -1}), read.tensor("steps"));
        assertEquals(Tensor.of(new int[] {-123456}), read.tensor("ids"));
        assertEquals(DType.U8, read.tensor("flag").dtype());
        assertEquals(Shape.scalar(), read.tensor("flag").shape());
        assertEquals(200, read.tensor("flag").getLong());
        assertEquals(Tensor.zeros(DType.F64, 0, 3), read.tensor("empty"));
        assertEquals(Tensor.of(new double[] {Math.PI}), read.tensor("x"));
    }

    @Test
    void writerProducesExactlyTheSpecifiedBytes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", Tensor.of(new float[] {1.5f, -2f}));
        tensors.put("i", Tensor.of(new byte[] {1, 2, (byte) 255}));
        tensors.put("d", Tensor.scalar(DType.F64, 0.25));
        Path file = dir.resolve("out.safetensors");
        Safetensors.write(file, new TensorFile(tensors, Map.of("format", "pt")));

        // Header in map order; data ordered by element size (F64, F32, U8) so each tensor is aligned.
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"i\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[16,19]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        assertEquals(197, header.length());
        byte[] expected = new ByteFixture()
                .u64le(200).utf8(header).spaces(3)
                .f64le(0.25).f32le(1.5f).f32le(-2f).bytes(1, 2, 255)
                .toBytes();
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void writesAnEmptyFileAsAPaddedEmptyObject() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        Safetensors.write(file, Map.of());
        assertArrayEquals(new ByteFixture().u64le(8).utf8("{}").spaces(6).toBytes(), Files.readAllBytes(file));
        assertEquals(TensorFile.of(Map.of()), Safetensors.read(file));
    }

    @Test
    void rejectsFilesShorterThanTheLengthField() throws IOException {
        assertMentions(rejects("short.safetensors", new byte[] {1, 0, 0}), "truncated", "has 3 bytes");
    }

    @Test
    void rejectsHeaderLengthsBeyondTheFile() throws IOException {
        byte[] bytes = new ByteFixture().u64le(1000).utf8("{}").toBytes();
        assertMentions(rejects("long.safetensors", bytes), "header length 1000 exceeds the 2 bytes");
        byte[] huge = new ByteFixture().u64le(-1).utf8("{}").toBytes();
        assertMentions(rejects("huge.safetensors", huge), "header length 18446744073709551615 exceeds");
    }

    @Test
    void rejectsHeadersOverTheFormatLimit() throws IOException {
        Path file = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new ByteFixture().u64le(Safetensors.MAX_HEADER_BYTES + 1).toBytes());
            raf.setLength(Safetensors.MAX_HEADER_BYTES + 64);
        }
        TensorFileException e = assertThrows(TensorFileException.class, () -> Safetensors.read(file));
        assertMentions(e, file.toString(), "exceeds the format's limit");
    }

    @Test
    void rejectsHeadersThatAreNotUtf8JsonObjects() throws IOException {
        assertMentions(rejects("space.safetensors", image(" {}", new ByteFixture())), "must start with '{'", "0x20");
        assertMentions(rejects("array.safetensors", image("[]", new ByteFixture())), "must start with '{'");
        assertMentions(rejects("nolen.safetensors", image("", new ByteFixture())), "must start with '{' but is empty");
        assertMentions(rejects("json.safetensors", image("{\"a\": {\"dtype\": \"F32\",}}", new ByteFixture())),
                "header is not valid JSON", "expected a string key", "line 1, column 23");
        byte[] badUtf8 = new ByteFixture().u64le(4).utf8("{\"").bytes(0xFF).utf8("}").toBytes();
        assertMentions(rejects("utf8.safetensors", badUtf8), "header is not valid UTF-8");
    }

    @Test
    void rejectsUnsupportedDTypesNamingThemAndTheSupportedOnes() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        assertMentions(rejects("f8.safetensors", image(header, new ByteFixture().bytes(0))),
                "tensor \"h\"", "dtype \"F8_E4M3\"", "not supported", "F16, BF16, F32, F64, I8");
    }

    @Test
    void widensHalfPrecisionSmallIntegersAndBooleansOnLoad() throws IOException {
        String header = "{\"half\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[0,12]},"
                + "\"brain\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[12,16]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[16,18]},"
                + "\"i16\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[18,20]},"
                + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[20,22]},"
                + "\"u32\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[22,26]},"
                + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[26,28]}}";
        ByteFixture data = new ByteFixture()
                // F16: 1.0, -2.0, 65504 (largest), smallest subnormal 2^-24, +infinity, NaN
                .bytes(0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x7C, 0x00, 0x7E)
                // BF16: 1.0, -3.0 (the top halves of the float bit patterns)
                .bytes(0x80, 0x3F, 0x40, 0xC0)
                .bytes(0xFF, 0x7F)              // I8: -1, 127
                .bytes(0x00, 0x80)              // I16: -32768
                .bytes(0xFF, 0xFF)              // U16: 65535
                .bytes(0xFF, 0xFF, 0xFF, 0xFF)  // U32: 4294967295
                .bytes(1, 0);                   // BOOL: true, false
        TensorFile read = Safetensors.read(file("widened.safetensors", image(header, data)));

        assertEquals(Tensor.of(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NaN}),
                read.tensor("half"));
        assertEquals(Tensor.of(new float[] {1f, -3f}), read.tensor("brain"));
        assertEquals(Tensor.of(new int[] {-1, 127}), read.tensor("i8"));
        assertEquals(Tensor.of(new int[] {-32768}), read.tensor("i16"));
        assertEquals(Tensor.of(new int[] {65535}), read.tensor("u16"));
        assertEquals(Tensor.of(new long[] {4294967295L}), read.tensor("u32"));
        assertEquals(Tensor.of(new byte[] {1, 0}), read.tensor("mask"));
    }

    @Test
    void rejectsByteCountsThatDisagreeWithTheShape() throws IOException {
        String header = "{\"v\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertMentions(rejects("mismatch.safetensors", image(header, new ByteFixture().u64le(0))),
                "tensor \"v\"", "spanning 8 bytes", "shape [3] of F32 needs 3 x 4 = 12 bytes");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(rejects("overlap.safetensors", image(header, new ByteFixture().u64le(0).i32le(0))),
                "tensor \"b\" at [4, 12] overlaps tensor \"a\" at [0, 8]");
    }

    @Test
    void rejectsHolesBetweenAndAfterTensors() throws IOException {
        String between = "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertMentions(rejects("hole.safetensors", image(between, new ByteFixture().i32le(1).i32le(2).i32le(3))),
                "hole in the data buffer: bytes [4, 8)");
        String first = "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertMentions(rejects("lead.safetensors", image(first, new ByteFixture().i32le(1).i32le(2))),
                "hole in the data buffer: bytes [0, 4)");
        String one = "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertMentions(rejects("tail.safetensors", image(one, new ByteFixture().i32le(1).bytes(9))),
                "bytes [4, 5) at its end belong to no tensor");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        assertMentions(rejects("cut.safetensors", image(header, new ByteFixture().f64le(1))),
                "tensor \"a\" has data_offsets [0, 16] past the end of the 8-byte data buffer", "truncated");
    }

    @Test
    void rejectsDuplicateTensorNames() throws IOException {
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}";
        assertMentions(rejects("dup.safetensors", image(header, new ByteFixture().bytes(1, 2))),
                "duplicate key \"a\"");
    }

    @Test
    void rejectsMalformedEntries() throws IOException {
        String[][] cases = {
            {"{\"a\":[1]}", "tensor \"a\" must be an object"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", "unexpected key \"x\""},
            {"{\"a\":{\"shape\":[1],\"data_offsets\":[0,1]}}", "needs a string \"dtype\" but has null"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", "dimension 0 is not an integer"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[1.0],\"data_offsets\":[0,1]}}", "dimension 0 is not an integer"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[65536,65536],\"data_offsets\":[0,1]}}", "more than 2147483647 elements"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,0]}}", "0 <= begin <= end"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", "needs \"data_offsets\" [begin, end]"},
            {"{\"\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", "tensor names must not be empty"},
            {"{\"__metadata__\":{\"k\":1}}", "\"__metadata__\" must map strings to strings but key \"k\" holds Long 1"},
            {"{\"__metadata__\":[]}", "\"__metadata__\" must be an object"},
        };
        for (int i = 0; i < cases.length; i++) {
            assertMentions(rejects("case" + i + ".safetensors", image(cases[i][0], new ByteFixture().bytes(0))), cases[i][1]);
        }
    }

    @Test
    void writerRejectsReservedAndEmptyNamesNamingTheFile() {
        Path file = dir.resolve("bad.safetensors");
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", Tensor.zeros(DType.F32, 1))));
        assertMentions(reserved, file.toString(), "reserved");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("", Tensor.zeros(DType.F32, 1))));
        assertMentions(empty, file.toString(), "must not be empty");
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("w\uD800", Tensor.zeros(DType.F32, 1))));
        assertMentions(surrogate, file.toString(), "unpaired surrogate");
        assertTrue(Files.notExists(file), "nothing is written when validation fails");
    }

    @Test
    void roundTripsTensorsLargerThanOneChunk() throws IOException {
        int n = ElementBytes.CHUNK_BYTES / 4 * 3 + 5;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.5f - 7;
        }
        Tensor big = Tensor.of(values);
        Tensor bigger = Tensor.arange(DType.F64, n);
        Path file = dir.resolve("big.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f", big);
        tensors.put("d", bigger);
        Safetensors.write(file, tensors);
        TensorFile read = Safetensors.read(file);
        assertEquals(big, read.tensor("f"));
        assertEquals(bigger, read.tensor("d"));
    }

    @Test
    void unknownTensorLookupListsWhatIsPresent() {
        TensorFile file = TensorFile.of(Map.of("a", Tensor.zeros(DType.F32, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.tensor("b"));
        assertMentions(e, "no tensor named \"b\"", "[a]");
    }
}
