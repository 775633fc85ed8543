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
import java.util.Optional;

/**
 * The data sets the app can run on, named on the command line: "digits" (embedded UCI digits),
 * "fashion" (Debian's dataset-fashion-mnist), "idx:DIR" (MNIST-format files) and "cifar:DIR"
 * (CIFAR-10 binary batches), either pooled or as distributed (with the official test set).
 */
public final class DataSets {
    private DataSets() {
    }

    /**
     * A data set as distributed: its training examples and, for the sets that come pre-split
     * (Fashion-MNIST, IDX, CIFAR-10), the official test set; the embedded digits have none.
     */
    public record AsDistributed(Dataset train, Optional<Dataset> officialTest) {
        /** Every example, training and test pooled. */
        public Dataset pooled() {
            return officialTest.map(test -> Dataset.of(Tensor.concat(0, train.features(), test.features()),
                    Tensor.concat(0, train.labels(), test.labels()), train.classes())).orElse(train);
        }
    }

    /** Loads every example of the named data set as images [N, C, H, W] (F32), training and test pooled. */
    public static Dataset load(String spec) {
        return loadAsDistributed(spec).pooled();
    }

    /** Loads the named data set as images [N, C, H, W] (F32), keeping an official test set apart. */
    public static AsDistributed loadAsDistributed(String spec) {
        try {
            if (spec.equals("digits")) {
                return new AsDistributed(Digits.loadImages(), Optional.empty());
            }
            if (spec.equals("fashion")) {
                return split(requireDir(Mnist.FASHION_MNIST_DIR, "Fashion-MNIST",
                        "install it with 'apt-get install dataset-fashion-mnist'"), Mnist::load);
            }
            if (spec.startsWith("idx:")) {
                return split(requireDir(Path.of(spec.substring(4)), "an MNIST-format (IDX) data set",
                        "it needs train/t10k images and labels files, gzipped or raw"), Mnist::load);
            }
            if (spec.startsWith("cifar:")) {
                return split(requireDir(Path.of(spec.substring(6)), "CIFAR-10",
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

    private static AsDistributed split(Path dir, Loader loader) throws IOException {
        TrainTest parts = loader.load(dir);
        return new AsDistributed(parts.train(), Optional.of(parts.test()));
    }

    private static Path requireDir(Path dir, String what, String how) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(what + " was not found at " + dir.toAbsolutePath() + ": " + how);
        }
        return dir;
    }
}
