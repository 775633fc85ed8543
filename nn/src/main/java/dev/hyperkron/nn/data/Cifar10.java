package dev.hyperkron.nn.data;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads CIFAR-10 from its binary distribution (cifar-10-binary.tar.gz, unpacked): files of
 * 3073-byte records, one label byte then 1024 red, 1024 green and 1024 blue bytes of a 32x32
 * image. Images become F32 [N, 3, 32, 32] with values scaled from 0..255 to [0, 1].
 */
public final class Cifar10 {
    public static final int CLASSES = 10;
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;

    private static final int PIXELS = CHANNELS * SIDE * SIDE;
    private static final int RECORD = 1 + PIXELS;
    private static final String SUBDIRECTORY = "cifar-10-batches-bin";
    private static final String HOW_TO_GET = "Download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html "
            + "and unpack it; pass the " + SUBDIRECTORY + " directory (or its parent)";

    private Cifar10() {
    }

    /**
     * The training set (data_batch_1.bin .. data_batch_5.bin, in that order) and the test set
     * (test_batch.bin) of {@code dir}, or of its {@value #SUBDIRECTORY} subdirectory.
     */
    public static TrainTest load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory for CIFAR-10. " + HOW_TO_GET);
        }
        Path batches = Files.isDirectory(dir.resolve(SUBDIRECTORY)) ? dir.resolve(SUBDIRECTORY) : dir;
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainFiles.add(require(batches, "data_batch_" + i + ".bin"));
        }
        return new TrainTest(read(trainFiles), read(List.of(require(batches, "test_batch.bin"))));
    }

    /** One batch file. */
    public static Dataset readBatch(Path file) throws IOException {
        return read(List.of(file));
    }

    /**
     * The records of several batch files, concatenated in order. Sizes are checked before any
     * record is read (the F32 images must fit in one array and in the heap), and files are read
     * record by record, never whole.
     */
    public static Dataset read(List<Path> files) throws IOException {
        long n = 0;
        for (Path file : files) {
            long bytes = Files.size(file);
            if (bytes == 0 || bytes % RECORD != 0) {
                throw new DatasetFileException(file.toString(), bytes + " bytes is not a positive whole number of "
                        + RECORD + "-byte records (1 label byte + " + PIXELS + " pixel bytes): truncated, or not a "
                        + "CIFAR-10 binary batch");
            }
            n += bytes / RECORD;
        }
        requireFits(files, n);
        float[] pixels = new float[(int) n * PIXELS];
        long[] labels = new long[(int) n];
        byte[] record = new byte[RECORD];
        int example = 0;
        for (Path file : files) {
            int first = example;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                int read;
                while ((read = in.readNBytes(record, 0, RECORD)) > 0) {
                    if (read < RECORD || example == n) {
                        throw new DatasetFileException(file.toString(), "changed size while being read");
                    }
                    labels[example] = record[0] & 0xFF;
                    for (int p = 0; p < PIXELS; p++) {
                        pixels[example * PIXELS + p] = (record[1 + p] & 0xFF) / 255f;
                    }
                    example++;
                }
            }
            Labels.requireInRange(file.toString(), Arrays.copyOfRange(labels, first, example), CLASSES, "record");
        }
        if (example != n) {
            throw new DatasetFileException(files.get(files.size() - 1).toString(), "changed size while being read");
        }
        Tensor features = Tensor.wrap(Storage.wrap(pixels), Shape.of((int) n, CHANNELS, SIDE, SIDE));
        return Dataset.of(features, Tensor.of(labels), CLASSES);
    }

    /** Refuses record counts whose F32 images exceed one Java array or the heap, naming both sizes. */
    private static void requireFits(List<Path> files, long records) throws DatasetFileException {
        long values = records * PIXELS;
        long maxRecords = (Integer.MAX_VALUE - 8) / PIXELS;
        String source = files.size() == 1 ? files.get(0).toString() : files.get(0).getParent() + " (" + files.size()
                + " files)";
        if (records > maxRecords) {
            throw new DatasetFileException(source, records + " records are more than one F32 array holds (at most "
                    + maxRecords + " images of " + PIXELS + " values)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (4 * values > heap) {
            throw new DatasetFileException(source, String.format(Locale.ROOT, "%d records need %.1f GB as F32 images "
                    + "but the heap allows %.1f GB (-Xmx)", records, 4e-9 * values, 1e-9 * heap));
        }
    }

    private static Path require(Path dir, String name) throws NoSuchFileException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing from the CIFAR-10 directory " + dir + ". "
                    + HOW_TO_GET);
        }
        return file;
    }
}
