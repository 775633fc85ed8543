package dev.hyperkron.bench;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.linalg.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A quick timer of the symmetric eigendecomposition for side-by-side comparisons with LAPACK
 * (bench/scripts/eigh_numpy.py, numpy.linalg.eigh) on the matrices that script and JMH's
 * {@code LinalgBenchmark} decompose: Q^T Q / n + 0.1 I of a Gaussian Q, in F64. It prints
 * "n threads mean_ms" per size and thread count (the mean wall time per call after a warm-up),
 * as eigh_numpy.py does. JMH is the careful measurement; this one needs no JMH on the class
 * path, which the GPU machine's bundle leaves out.
 *
 * <p>Usage: {@code EighSideBySide [--threads 1,2] [--seconds 1.0] [sizes...]} (default sizes
 * 256, 512, 785, 1024).
 */
public final class EighSideBySide {
    private EighSideBySide() {
    }

    public static void main(String[] args) {
        List<Integer> threads = List.of(1, 2);
        double seconds = 1.0;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = GemmSideBySide.parseInts(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(256, 512, 785, 1024);
        }
        for (int t : threads) {
            Parallel.setThreads(t);
            for (int n : sizes) {
                System.out.printf(Locale.ROOT, "%d %d %.3f%n", n, t, 1e3 * meanSeconds(spd(n), seconds));
            }
        }
    }

    /** Q^T Q / n + 0.1 I for a Gaussian n x n Q. */
    private static Tensor spd(int n) {
        Tensor q = Tensor.randn(new Rng(1), DType.F64, n, n);
        return q.matmul(q, true, false).div(n).add(Tensor.eye(DType.F64, n).mul(0.1));
    }

    /** Mean time per decomposition over at least {@code seconds} (and 3 calls), after as long a warm-up. */
    private static double meanSeconds(Tensor a, double seconds) {
        long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmupEnd) {
            SymmetricEigen.of(a);
        }
        int calls = 0;
        long start = System.nanoTime();
        while (calls < 3 || System.nanoTime() - start < seconds * 1e9) {
            SymmetricEigen.of(a);
            calls++;
        }
        return (System.nanoTime() - start) / 1e9 / calls;
    }
}
