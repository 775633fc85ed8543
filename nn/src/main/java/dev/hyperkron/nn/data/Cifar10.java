package dev.hyperkron.nn.data;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** The records of several batch files, concatenated in order. */
    public static Dataset read(List<Path> files) throws IOException {
        int n = 0;
        for (Path file : files) {
            long bytes = Files.size(file);
            if (bytes == 0 || bytes % RECORD != 0) {
                throw new DatasetFileException(file.toString(), bytes + " bytes is not a positive whole number of "
                        + RECORD + "-byte records (1 label byte + " + PIXELS + " pixel bytes): truncated, or not a "
                        + "CIFAR-10 binary batch");
            }
            n = Math.toIntExact(n + bytes / RECORD);
        }
        float[] pixels = new float[Math.multiplyExact(n, PIXELS)];
        long[] labels = new long[n];
        int example = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            int records = bytes.length / RECORD;
            if (bytes.length % RECORD != 0 || example + records > n) {
                throw new DatasetFileException(file.toString(), "changed size while being read");
            }
            long[] fileLabels = new long[records];
            for (int r = 0; r < records; r++) {
                fileLabels[r] = bytes[r * RECORD] & 0xFF;
                for (int p = 0; p < PIXELS; p++) {
                    pixels[(example + r) * PIXELS + p] = (bytes[r * RECORD + 1 + p] & 0xFF) / 255f;
                }
            }
            Labels.requireInRange(file.toString(), fileLabels, CLASSES, "record");
            System.arraycopy(fileLabels, 0, labels, example, records);
            example += records;
        }
        Tensor features = Tensor.wrap(Storage.wrap(pixels), Shape.of(n, CHANNELS, SIDE, SIDE));
        return Dataset.of(features, Tensor.of(labels), CLASSES);
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
