package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    private static final int RECORD = 3073;

    @TempDir
    Path dir;

    /**
     * One record as the format specifies it: the label byte, then the red plane, the green plane
     * and the blue plane of 32x32 bytes each, rows first. Here red = seed, green = row, blue = column.
     */
    private static byte[] record(int label, int seed) {
        byte[] r = new byte[RECORD];
        r[0] = (byte) label;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                r[1 + y * 32 + x] = (byte) seed;
                r[1 + 1024 + y * 32 + x] = (byte) y;
                r[1 + 2048 + y * 32 + x] = (byte) x;
            }
        }
        return r;
    }

    private Path batch(Path where, String name, int... labels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i++) {
            out.writeBytes(record(labels[i], 250 + i));
        }
        return Files.write(where.resolve(name), out.toByteArray());
    }

    private void fullSet(Path where) throws IOException {
        for (int b = 1; b <= 5; b++) {
            batch(where, "data_batch_" + b + ".bin", b, b + 1);
        }
        batch(where, "test_batch.bin", 9, 0, 3);
    }

    private static void assertMessage(Exception e, String... phrases) {
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    @Test
    void recordsBecomeChannelFirstImagesScaledToTheUnitInterval() throws IOException {
        Dataset d = Cifar10.readBatch(batch(dir, "b.bin", 7, 2));
        assertEquals(Shape.of(2, 3, 32, 32), d.features().shape());
        assertEquals(DType.F32, d.features().dtype());
        assertEquals(Tensor.of(new long[] {7, 2}), d.labels());
        assertEquals(250 / 255f, (float) d.features().get(0, 0, 5, 9));
        assertEquals(251 / 255f, (float) d.features().get(1, 0, 31, 31));
        assertEquals(5 / 255f, (float) d.features().get(1, 1, 5, 9), "green holds the row");
        assertEquals(9 / 255f, (float) d.features().get(1, 2, 5, 9), "blue holds the column");
    }

    @Test
    void loadsTheFiveTrainingBatchesInOrderAndTheTestBatch() throws IOException {
        fullSet(dir);
        TrainTest sets = Cifar10.load(dir);
        assertEquals(Tensor.of(new long[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}), sets.train().labels());
        assertEquals(Tensor.arange(DType.I64, 10), sets.train().indices());
        assertEquals(Tensor.of(new long[] {9, 0, 3}), sets.test().labels());
        assertEquals(251 / 255f, (float) sets.train().features().get(9, 0, 0, 0));
    }

    @Test
    void acceptsTheParentOfTheUnpackedDirectory() throws IOException {
        Path inner = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        fullSet(inner);
        assertEquals(10, Cifar10.load(dir).train().size());
    }

    @Test
    void truncatedAndEmptyFilesAreRejected() throws IOException {
        Path file = batch(dir, "b.bin", 1, 2);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertMessage(assertThrows(DatasetFileException.class, () -> Cifar10.readBatch(file)), file.toString(),
                "6145 bytes", "3073-byte records");
        Files.write(file, new byte[0]);
        assertMessage(assertThrows(DatasetFileException.class, () -> Cifar10.readBatch(file)), "0 bytes");
    }

    @Test
    void batchesTooLargeForOneArrayOrTheHeapAreRefusedBeforeReading() throws IOException {
        Path huge = sparse("huge.bin", 699_051);
        assertMessage(assertThrows(DatasetFileException.class, () -> Cifar10.readBatch(huge)), huge.toString(),
                "699051 records", "at most 699050 images");
        long beyondHeap = Runtime.getRuntime().maxMemory() / (4L * 3072) + 1;
        Assumptions.assumeTrue(beyondHeap <= 699_050, "the heap holds more than one array of images");
        Path big = sparse("big.bin", beyondHeap);
        assertMessage(assertThrows(DatasetFileException.class, () -> Cifar10.readBatch(big)), big.toString(),
                beyondHeap + " records need", "the heap allows");
    }

    /** A file of {@code records} zero records that takes no disk space. */
    private Path sparse(String name, long records) throws IOException {
        Path file = dir.resolve(name);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(records * 3073);
        }
        return file;
    }

    @Test
    void labelsOutsideTenClassesAreRejectedWithTheFileAndRecord() throws IOException {
        Path file = batch(dir, "b.bin", 3, 4, 10);
        assertMessage(assertThrows(DatasetFileException.class, () -> Cifar10.readBatch(file)), file.toString(),
                "record 2 has label 10");
    }

    @Test
    void missingDirectoriesAndBatchesSayWhatIsMissingAndWhereToGetIt() throws IOException {
        Path missing = dir.resolve("none");
        assertMessage(assertThrows(NoSuchFileException.class, () -> Cifar10.load(missing)), missing.toString(),
                "cifar-10-binary.tar.gz");
        fullSet(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        assertMessage(assertThrows(NoSuchFileException.class, () -> Cifar10.load(dir)), "data_batch_4.bin",
                "cifar-10-binary.tar.gz");
    }
}
