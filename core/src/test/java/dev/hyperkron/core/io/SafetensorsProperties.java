package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class SafetensorsProperties {
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = ScratchDirectory.create("safetensors-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        ScratchDirectory.delete(dir);
    }

    @Property(tries = 60)
    void writingThenReadingReturnsTheSameTensorsInOrderWithMetadata(@ForAll("contents") TensorFile contents) throws IOException {
        Path file = dir.resolve("roundtrip.safetensors");
        Safetensors.write(file, contents);
        TensorFile read = Safetensors.read(file);
        assertEquals(contents, read);
        assertEquals(new ArrayList<>(contents.tensors().keySet()), new ArrayList<>(read.tensors().keySet()));
    }

    @Property(tries = 60)
    void writtenFilesAreDeterministicPaddedAndAligned(@ForAll("contents") TensorFile contents) throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Safetensors.write(a, contents);
        Safetensors.write(b, new TensorFile(contents.tensors(), contents.metadata()));
        byte[] bytes = Files.readAllBytes(a);
        assertArrayEquals(bytes, Files.readAllBytes(b));

        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header is padded to a multiple of 8 bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals(header.strip(), header.stripTrailing(), "padding is trailing spaces only");
        Map<String, Object> root = Json.parseObject(header);
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (!e.getKey().equals("__metadata__")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> info = (Map<String, Object>) e.getValue();
                long begin = (Long) ((List<?>) info.get("data_offsets")).get(0);
                int elementSize = DType.valueOf((String) info.get("dtype")).byteSize();
                assertEquals(0, begin % elementSize, e.getKey() + " starts at a multiple of its element size");
            }
        }
    }

    @Property(tries = 40)
    void everyTruncationIsRejectedNamingTheFile(@ForAll("contents") TensorFile contents,
                                                @ForAll("fractions") double fraction) throws IOException {
        Path whole = dir.resolve("whole.safetensors");
        Safetensors.write(whole, contents);
        byte[] bytes = Files.readAllBytes(whole);
        int cut = (int) (fraction * bytes.length);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(bytes, cut));
        TensorFileException e = assertThrows(TensorFileException.class, () -> Safetensors.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": "), e.getMessage());
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, true, 1, false);
    }

    @Provide
    Arbitrary<TensorFile> contents() {
        Arbitrary<Map<String, Tensor>> tensors = Arbitraries.maps(RandomTensors.names(), RandomTensors.tensors())
                .ofMaxSize(5).map(LinkedHashMap::new);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(
                RandomTensors.codePointStrings(0, 5), RandomTensors.codePointStrings(0, 8)).ofMaxSize(3);
        return tensors.flatMap(t -> metadata.map(m -> new TensorFile(t, m)));
    }
}
