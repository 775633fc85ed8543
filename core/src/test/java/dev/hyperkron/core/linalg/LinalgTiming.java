package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A quick timing of the decompositions at the sizes KFAC factors reach (not a test and not a
 * JMH benchmark: a first look until the bench module has one). Prints the median wall time and
 * the median CPU time of the calling thread; with {@code -Dhyperkron.threads=1} the CPU time is
 * all the work and is the figure least disturbed by other load on the machine.
 *
 * <pre>
 * ./mvnw -B -q -pl core test-compile
 * java --add-modules jdk.incubator.vector -Dhyperkron.threads=1 \
 *     -cp core/target/classes:core/target/test-classes dev.hyperkron.core.linalg.LinalgTiming [reps]
 * </pre>
 */
public final class LinalgTiming {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LinalgTiming() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("kernels=" + Kernels.active().name() + " threads=" + Parallel.threads() + " reps=" + reps);
        for (int n : new int[] {256, 1000}) {
            Random random = new Random(1);
            double[] symmetric = LinalgFixtures.randomSymmetric(n, random);
            double[] spd = symmetric.clone();
            for (int i = 0; i < n; i++) {
                spd[i * n + i] += 4 * Math.sqrt(n);
            }
            Tensor a = Tensor.of(spd, n, n);
            Tensor s = Tensor.of(symmetric, n, n);
            CholeskyFactor factor = Cholesky.decompose(a);
            report(n, "Cholesky F64", reps, () -> Cholesky.decompose(a));
            report(n, "Cholesky F32", reps, () -> Cholesky.decompose(a.cast(DType.F32)));
            report(n, "CholeskyFactor.inverse", reps, factor::inverse);
            report(n, "SymmetricEigen F64", reps, () -> SymmetricEigen.of(s));
            report(n, "LuDecomposition", reps, () -> LuDecomposition.of(a));
        }
    }

    private static void report(int n, String what, int reps, Supplier<?> work) {
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            work.get();
            wall[r] = (System.nanoTime() - wall0) / 1e6;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("n=%4d %-24s median wall %8.1f ms, median cpu (calling thread) %8.1f ms%n",
                n, what, wall[reps / 2], cpu[reps / 2]);
    }
}
