package dev.hyperkron.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Parallel;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The decompositions split work over threads by rows or column slices, so the thread count must
 * not change a single bit of their results.
 */
class ThreadCountIndependenceTest {

    private static <T> T withThreads(int threads, Supplier<T> computation) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return computation.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void eigendecompositionIsBitwiseTheSameForOneTwoAndThreeThreads() {
        int n = 300;
        Tensor a = LinalgFixtures.tensor(LinalgFixtures.randomSymmetric(n, new Random(5)), n, n);

        SymmetricEigen one = withThreads(1, () -> SymmetricEigen.of(a));
        for (int threads : new int[] {2, 3}) {
            SymmetricEigen many = withThreads(threads, () -> SymmetricEigen.of(a));
            assertEquals(one.eigenvalues(), many.eigenvalues(), threads + " threads");
            assertEquals(one.eigenvectors(), many.eigenvectors(), threads + " threads");
        }
    }

    @Test
    void choleskyInverseAndLuSolveAreBitwiseTheSameForOneTwoAndThreeThreads() {
        int n = 300;
        Random random = new Random(6);
        Tensor spd = LinalgFixtures.tensor(LinalgFixtures.spd(n, 1e4, random), n, n);
        Tensor general = LinalgFixtures.tensor(LinalgFixtures.gaussian(n, n, random), n, n);

        Tensor inverse = withThreads(1, () -> Linalg.spdInverse(spd));
        Tensor solution = withThreads(1, () -> Linalg.solve(general, spd));
        for (int threads : new int[] {2, 3}) {
            assertEquals(inverse, withThreads(threads, () -> Linalg.spdInverse(spd)), threads + " threads");
            assertEquals(solution, withThreads(threads, () -> Linalg.solve(general, spd)), threads + " threads");
        }
    }
}
