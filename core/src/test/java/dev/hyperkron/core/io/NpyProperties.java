package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class NpyProperties {
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = ScratchDirectory.create("npy-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        ScratchDirectory.delete(dir);
    }

    @Provide
    Arbitrary<Tensor> tensors() {
        return RandomTensors.tensors();
    }

    @Provide
    Arbitrary<ByteOrder> orders() {
        return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    @Property(tries = 100)
    void everyVersionAndByteOrderReadsBackTheSameTensor(@ForAll("tensors") Tensor tensor, @ForAll("orders") ByteOrder order,
                                                        @ForAll @IntRange(min = 1, max = 3) int major) throws IOException {
        Path file = Files.write(dir.resolve("t.npy"), NpyFixture.encode(tensor, order, major));
        assertEquals(tensor, Npy.read(file));
    }

    @Property(tries = 60)
    void everyTruncationIsRejectedNamingTheFile(@ForAll("tensors") Tensor tensor, @ForAll("orders") ByteOrder order,
                                                @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double fraction)
            throws IOException {
        byte[] whole = NpyFixture.encode(tensor, order, 1);
        Path file = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(whole, (int) (fraction * whole.length)));
        TensorFileException e = assertThrows(TensorFileException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Property(tries = 300)
    void corruptBytesAreReadOrRejectedNamingTheFileButNeverCrashTheReader(
            @ForAll("tensors") Tensor tensor, @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
            @ForAll byte value) throws IOException {
        byte[] bytes = NpyFixture.encode(tensor, ByteOrder.LITTLE_ENDIAN, 1);
        bytes[(int) (where * Math.min(bytes.length, 128))] = value;
        Path file = Files.write(dir.resolve("corrupt.npy"), bytes);
        try {
            Npy.read(file);
        } catch (TensorFileException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        }
    }
}
