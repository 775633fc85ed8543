package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Cifar10;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.Mnist;
import dev.hyperkron.nn.data.TrainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data sets the app can run on, named on the command line: "digits" (embedded UCI digits),
 * "fashion" (Debian's dataset-fashion-mnist), "idx:DIR" (MNIST-format files) and "cifar:DIR"
 * (CIFAR-10 binary batches). Training and test parts are pooled; experiments split them.
 */
public final class DataSets {
    private DataSets() {
    }

    /** Loads every example of the named data set as images [N, C, H, W] (F32). */
    public static Dataset load(String spec) {
        try {
            if (spec.equals("digits")) {
                return Digits.loadImages();
            }
            if (spec.equals("fashion")) {
                return pooled(requireDir(Mnist.FASHION_MNIST_DIR, "Fashion-MNIST",
                        "install it with 'apt-get install dataset-fashion-mnist'"), Mnist::load);
            }
            if (spec.startsWith("idx:")) {
                return pooled(requireDir(Path.of(spec.substring(4)), "an MNIST-format (IDX) data set",
                        "it needs train/t10k images and labels files, gzipped or raw"), Mnist::load);
            }
            if (spec.startsWith("cifar:")) {
                return pooled(requireDir(Path.of(spec.substring(6)), "CIFAR-10",
                        "download the binary version (cifar-10-binary.tar.gz) and extract it there"), Cifar10::load);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        throw new UserError("unknown data set '" + spec + "': use digits, fashion, idx:DIR or cifar:DIR");
    }

    private interface Loader {
        TrainTest load(Path dir) throws IOException;
    }

    private static Dataset pooled(Path dir, Loader loader) throws IOException {
        TrainTest parts = loader.load(dir);
        return Dataset.of(Tensor.concat(0, parts.train().features(), parts.test().features()),
                Tensor.concat(0, parts.train().labels(), parts.test().labels()), parts.train().classes());
    }

    private static Path requireDir(Path dir, String what, String how) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(what + " was not found at " + dir.toAbsolutePath() + ": " + how);
        }
        return dir;
    }
}
