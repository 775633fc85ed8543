package dev.hyperkron.bench;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A quick GEMM timer for side-by-side comparisons with other libraries (see
 * bench/scripts/gemm-vs-numpy.sh): best-of-N wall time after warm-up, reported in GFLOP/s, one
 * line per shape and thread count. JMH ({@code GemmBenchmark}) is the careful measurement; this
 * one runs in seconds, in the same session as the comparison.
 *
 * <p>Usage: {@code GemmSideBySide [--list] [--threads 1,2] [--seconds 1.0] [shapes...]}, each
 * shape a name or {@code MxNxK[-tn|-nt|-tt]} ({@link GemmShape#named}); {@code --list} prints
 * "name m n k transA transB" per shape instead of timing.
 */
public final class GemmSideBySide {
    private GemmSideBySide() {
    }

    public static void main(String[] args) {
        List<Integer> threads = List.of(1, 2);
        double seconds = 1.0;
        boolean list = false;
        List<GemmShape> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = parseInts(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--list" -> list = true;
                default -> {
                    try {
                        shapes.add(GemmShape.named(args[i]));
                    } catch (IllegalArgumentException e) {
                        System.err.println("GemmSideBySide: " + e.getMessage());
                        System.exit(2);
                    }
                }
            }
        }
        if (shapes.isEmpty()) {
            shapes = GemmShape.STANDARD;
        }
        if (list) {
            for (GemmShape s : shapes) {
                System.out.println(s.name() + " " + s.m() + " " + s.n() + " " + s.k() + " " + s.transA() + " " + s.transB());
            }
            return;
        }
        TypedKernels<float[]> kernels = Kernels.active().f32();
        System.out.println("# kernels=" + Kernels.active().name() + " java=" + System.getProperty("java.version"));
        // Let C2 compile the kernels before the first timed shape, which would otherwise pay for it.
        for (GemmShape shape : shapes) {
            bestSeconds(kernels, shape, Math.min(seconds, 0.3));
        }
        for (GemmShape shape : shapes) {
            for (int t : threads) {
                Parallel.setThreads(t);
                double gflops = shape.flops() / bestSeconds(kernels, shape, seconds) / 1e9;
                System.out.printf(Locale.ROOT, "%s %d %.2f%n", shape.name(), t, gflops);
            }
        }
    }

    /** Fastest of repeated runs, after a warm-up of about the same length. */
    private static double bestSeconds(TypedKernels<float[]> kernels, GemmShape s, double seconds) {
        SplittableRandom rng = new SplittableRandom(42);
        float[] a = random(rng, s.aRows() * s.aCols());
        float[] b = random(rng, s.bRows() * s.bCols());
        float[] c = new float[s.m() * s.n()];
        Runnable run = () -> kernels.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1.0,
                a, 0, s.aCols(), b, 0, s.bCols(), 0.0, c, 0, s.n());
        long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmupEnd) {
            run.run();
        }
        long best = Long.MAX_VALUE;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int reps = 0;
        while (reps < 3 || System.nanoTime() < end) {
            long start = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - start);
            reps++;
        }
        return best / 1e9;
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    static List<Integer> parseInts(String csv) {
        List<Integer> values = new ArrayList<>();
        for (String part : csv.split(",")) {
            values.add(Integer.parseInt(part.trim()));
        }
        return values;
    }
}
