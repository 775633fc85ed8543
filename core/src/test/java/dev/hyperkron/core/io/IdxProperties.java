package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class IdxProperties {
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = ScratchDirectory.create("idx-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        ScratchDirectory.delete(dir);
    }

    @Property(tries = 60)
    void writingThenReadingReturnsTheSameTensor(@ForAll("writable") Tensor tensor, @ForAll boolean gzip) throws IOException {
        Path file = dir.resolve("roundtrip.idx");
        if (gzip) {
            Idx.writeGzip(file, tensor);
        } else {
            Idx.write(file, tensor);
        }
        assertEquals(tensor, Idx.read(file));
    }

    @Property(tries = 40)
    void everyTruncationIsRejectedNamingTheFile(@ForAll("writable") Tensor tensor, @ForAll boolean gzip,
                                                @ForAll("fractions") double fraction) throws IOException {
        Path whole = dir.resolve("whole.idx");
        if (gzip) {
            Idx.writeGzip(whole, tensor);
        } else {
            Idx.write(whole, tensor);
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.idx"), Arrays.copyOf(bytes, (int) (fraction * bytes.length)));
        TensorFileException e = assertThrows(TensorFileException.class, () -> Idx.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": "), e.getMessage());
    }

    @Provide
    Arbitrary<Tensor> writable() {
        return RandomTensors.tensors(DType.U8, DType.I32, DType.F32, DType.F64);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, true, 1, false);
    }
}
