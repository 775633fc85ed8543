package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Idx;
import dev.hyperkron.core.io.TensorFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    /** n images of 2x3 pixels whose pixel p of image i is (40 i + p) mod 256, labels i mod 10. */
    private static Tensor images(int n) {
        byte[] pixels = new byte[n * 6];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((40 * (i / 6) + i % 6) % 256);
        }
        return Tensor.of(pixels, n, 2, 3);
    }

    private static Tensor labels(int n) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % 10);
        }
        return Tensor.of(y);
    }

    private void writeSet(boolean gzip, String separator, int trainSize, int testSize) throws IOException {
        String suffix = gzip ? ".gz" : "";
        write(gzip, dir.resolve("train-images" + separator + "idx3-ubyte" + suffix), images(trainSize));
        write(gzip, dir.resolve("train-labels" + separator + "idx1-ubyte" + suffix), labels(trainSize));
        write(gzip, dir.resolve("t10k-images" + separator + "idx3-ubyte" + suffix), images(testSize));
        write(gzip, dir.resolve("t10k-labels" + separator + "idx1-ubyte" + suffix), labels(testSize));
    }

    private static void write(boolean gzip, Path file, Tensor t) throws IOException {
        if (gzip) {
            Idx.writeGzip(file, t);
        } else {
            Idx.write(file, t);
        }
    }

    private static void assertMessage(Exception e, String... phrases) {
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    @Test
    void readsGzippedFilesIntoScaledSingleChannelImages() throws IOException {
        writeSet(true, "-", 12, 5);
        TrainTest sets = Mnist.load(dir);
        assertEquals(Shape.of(12, 1, 2, 3), sets.train().features().shape());
        assertEquals(Shape.of(5, 1, 2, 3), sets.test().features().shape());
        assertEquals(DType.F32, sets.train().features().dtype());
        assertEquals(10, sets.train().classes());
        assertEquals(Tensor.of(new long[] {0, 1, 2, 3, 4}), sets.test().labels());
        assertEquals(Tensor.arange(DType.I64, 12), sets.train().indices());
        assertEquals((40 * 7 + 4) % 256 / 255f, (float) sets.train().features().get(7, 0, 1, 1));
    }

    @Test
    void readsRawFilesAndTheDottedNamesOfSomeMirrors() throws IOException {
        writeSet(false, ".", 3, 2);
        TrainTest sets = Mnist.load(dir);
        assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f},
                Arrays.copyOf(sets.train().features().toFloatArray(), 6));
        assertEquals(2, sets.test().size());
    }

    @Test
    void aMissingDirectorySaysWhereItLookedAndHowToGetTheData() {
        Path missing = dir.resolve("nowhere");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(missing));
        assertMessage(e, missing.toString(), "apt-get install dataset-fashion-mnist", "train-images-idx3-ubyte");
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        writeSet(true, "-", 3, 2);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        assertMessage(e, "t10k-labels-idx1-ubyte", dir.toString());
    }

    @Test
    void labelsOutsideTenClassesAreRejectedWithTheFileAndValue() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Idx.write(images, images(3));
        Idx.write(labels, Tensor.of(new byte[] {1, 10, 2}));
        DatasetFileException e = assertThrows(DatasetFileException.class, () -> Mnist.read(images, labels));
        assertMessage(e, labels.toString(), "example 1 has label 10");
    }

    @Test
    void inconsistentOrMistypedFilesAreRejected() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Idx.write(images, images(3));
        Idx.write(labels, labels(4));
        assertMessage(assertThrows(DatasetFileException.class, () -> Mnist.read(images, labels)), "4 labels for the 3 images");
        Path floats = dir.resolve("floats");
        Idx.write(floats, Tensor.zeros(DType.F32, 3, 2, 3));
        assertMessage(assertThrows(DatasetFileException.class, () -> Mnist.read(floats, labels)), floats.toString(),
                "unsigned-byte images", "F32");
        assertMessage(assertThrows(DatasetFileException.class, () -> Mnist.read(images, images)), images.toString(),
                "unsigned-byte labels");
    }

    @Test
    void truncatedFilesAreReportedByTheIdxReader() throws IOException {
        Path images = dir.resolve("images.gz");
        Idx.writeGzip(images, images(50));
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length / 2));
        Path labels = dir.resolve("labels");
        Idx.write(labels, labels(50));
        TensorFileException e = assertThrows(TensorFileException.class, () -> Mnist.read(images, labels));
        assertMessage(e, images.toString(), "truncated");
    }

    @Test
    void readsTheRealFashionMnistWhenInstalled() throws IOException {
        assumeTrue(Files.isDirectory(Mnist.FASHION_MNIST_DIR), "Fashion-MNIST is not installed at " + Mnist.FASHION_MNIST_DIR
                + " (apt-get install dataset-fashion-mnist); skipping");
        TrainTest sets = Mnist.loadFashion();
        assertEquals(Shape.of(60000, 1, 28, 28), sets.train().features().shape());
        assertEquals(Shape.of(10000, 1, 28, 28), sets.test().features().shape());
        int[] expected = new int[10];
        Arrays.fill(expected, 6000);
        assertArrayEquals(expected, sets.train().classCounts());
        Arrays.fill(expected, 1000);
        assertArrayEquals(expected, sets.test().classCounts());
        Tensor x = sets.test().features();
        assertEquals(0.0, x.min().item());
        assertEquals(1.0, x.max().item());
    }
}
