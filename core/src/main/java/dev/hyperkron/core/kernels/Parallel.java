package dev.hyperkron.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one shared worker pool of the library. Its size comes from the system property
 * {@code hyperkron.threads} (default: available processors) and can be changed at run time
 * with {@link #setThreads}. Kernels split work into contiguous chunks, so results do not depend
 * on the thread count except through float reassociation inside a kernel.
 */
public final class Parallel {
    static final String PROPERTY = "hyperkron.threads";

    private static volatile ForkJoinPool pool = newPool(threadsFromProperty());

    private Parallel() {
    }

    /** A body that processes the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** The number of worker threads. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the shared pool by one of {@code threads} workers (for benchmarks and tests). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        if (threads != threads()) {
            ForkJoinPool old = pool;
            pool = newPool(threads);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@link #threads()} chunks of at least
     * {@code minChunk} indices; small ranges and calls from inside a worker run inline.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        forRange(n, minChunk, 1, body);
    }

    /**
     * Like {@link #forRange(int, int, RangeBody)} with every split point a multiple of
     * {@code align}: SIMD kernels then see the same full vectors and scalar tails whatever the
     * thread count, so their results do not depend on it.
     */
    public static void forRange(int n, int minChunk, int align, RangeBody body) {
        ForkJoinPool p = pool;
        int chunks = Math.min(p.getParallelism(), Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || isWorkerOf(p)) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int[] bounds = new int[chunks + 1];
        for (int c = 1; c < chunks; c++) {
            bounds[c] = (int) ((long) n * c / chunks) / align * align;
        }
        bounds[chunks] = n;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = bounds[c];
            int to = bounds[c + 1];
            tasks[c - 1] = p.submit(() -> {
                if (from < to) {
                    body.run(from, to);
                }
            });
        }
        if (bounds[1] > 0) {
            body.run(0, bounds[1]);
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    private static boolean isWorkerOf(ForkJoinPool p) {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == p;
    }

    private static int threadsFromProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("system property " + PROPERTY + "=" + value
                + " is not a positive thread count");
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("hyperkron-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
