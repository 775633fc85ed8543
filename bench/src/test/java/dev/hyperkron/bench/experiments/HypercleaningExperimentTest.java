package dev.hyperkron.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Idx;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data set distributed with a test split is evaluated on that split, not on the left-over training examples. */
class HypercleaningExperimentTest {

    /** An MNIST-format set of {@code n} 4x4 images, labels cycling through the ten classes. */
    private static void idx(Path dir, String part, int n) throws IOException {
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int p = 0; p < 16; p++) {
                pixels[i * 16 + p] = (byte) ((i * 31 + p * 17) % 256);
            }
        }
        Idx.write(dir.resolve(part + "-images-idx3-ubyte"), Tensor.of(pixels, n, 4, 4));
        Idx.write(dir.resolve(part + "-labels-idx1-ubyte"), Tensor.of(labels, n));
    }

    private static HypercleaningExperiment experiment(Path dir, int testSize) {
        return new HypercleaningExperiment(new HypercleaningSetup("idx:" + dir, "linear", new int[] {8}, 0.2, 40, 20,
                testSize, 0, 2, 0.1, 0, 1e-3, 1));
    }

    @Test
    void theOfficialTestSetIsTheTestSetAndASmallerOneIsSampledFromIt(@TempDir Path dir) throws IOException {
        idx(dir, "train", 100);
        idx(dir, "t10k", 30);
        assertEquals(30, experiment(dir, 0).testCount(), "all of the official test set, not the 40 left-over");
        assertEquals(10, experiment(dir, 10).testCount());
        UserError e = assertThrows(UserError.class, () -> experiment(dir, 31));
        assertTrue(e.getMessage().contains("100 training and 30 test examples"), e.getMessage());
    }
}
