package dev.hyperkron.nn.data;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Idx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the MNIST family (MNIST, Fashion-MNIST, KMNIST) from its IDX files, raw or gzipped:
 * images become F32 [N, 1, H, W] with pixel values scaled from 0..255 to [0, 1].
 */
public final class Mnist {
    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Every data set of the family has ten classes. */
    public static final int CLASSES = 10;

    private static final String HOW_TO_GET = "MNIST: download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from a mirror of https://yann.lecun.com/exdb/mnist/ "
            + "into one directory; Fashion-MNIST: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, installs "
            + FASHION_MNIST_DIR + ") or https://github.com/zalandoresearch/fashion-mnist";

    private Mnist() {
    }

    /** The training (train-*) and test (t10k-*) sets of the directory {@code dir}. */
    public static TrainTest load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory for an MNIST-format data set. "
                    + HOW_TO_GET);
        }
        return new TrainTest(read(find(dir, "train", "images", 3), find(dir, "train", "labels", 1)),
                read(find(dir, "t10k", "images", 3), find(dir, "t10k", "labels", 1)));
    }

    /** Fashion-MNIST from {@link #FASHION_MNIST_DIR}. */
    public static TrainTest loadFashion() throws IOException {
        return load(FASHION_MNIST_DIR);
    }

    /** One images file (ubyte [N, H, W]) with its labels file (ubyte [N], values 0..9). */
    public static Dataset read(Path images, Path labels) throws IOException {
        Tensor pixels = Idx.read(images);
        if (pixels.dtype() != DType.U8 || pixels.rank() != 3) {
            throw new DatasetFileException(images.toString(), "expected unsigned-byte images [N, height, width], found "
                    + pixels.dtype() + " " + pixels.shape());
        }
        Tensor classes = Idx.read(labels);
        if (classes.dtype() != DType.U8 || classes.rank() != 1) {
            throw new DatasetFileException(labels.toString(), "expected unsigned-byte labels [N], found "
                    + classes.dtype() + " " + classes.shape());
        }
        int n = pixels.dim(0);
        if (classes.dim(0) != n) {
            throw new DatasetFileException(labels.toString(), classes.dim(0) + " labels for the " + n + " images of "
                    + images);
        }
        long[] y = classes.toLongArray();
        Labels.requireInRange(labels.toString(), y, CLASSES, "example");
        byte[] raw = (byte[]) pixels.storage().array();
        float[] scaled = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            scaled[i] = (raw[i] & 0xFF) / 255f;
        }
        Tensor features = Tensor.wrap(Storage.wrap(scaled), Shape.of(n, 1, pixels.dim(1), pixels.dim(2)));
        return Dataset.of(features, Tensor.of(y), CLASSES);
    }

    /** The file for one part, under the names the distributions use ("-idx3-" or ".idx3-", with or without ".gz"). */
    private static Path find(Path dir, String part, String kind, int rank) throws NoSuchFileException {
        String dashed = part + "-" + kind + "-idx" + rank + "-ubyte";
        String dotted = part + "-" + kind + ".idx" + rank + "-ubyte";
        for (String name : new String[] {dashed + ".gz", dashed, dotted + ".gz", dotted}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new NoSuchFileException(dir.resolve(dashed).toString(), null, "missing (also looked for " + dashed
                + ".gz, " + dotted + " and " + dotted + ".gz in " + dir + "). " + HOW_TO_GET);
    }
}
