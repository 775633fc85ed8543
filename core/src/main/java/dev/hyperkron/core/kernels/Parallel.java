package dev.hyperkron.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared worker pool of the library. Its size comes from the system property
 * {@code hyperkron.threads} (default: available processors) and can be changed at run time
 * with {@link #setThreads}. Kernels split work into contiguous chunks, so results do not depend
 * on the thread count except through float reassociation inside a kernel.
 */
public final class Parallel {
    static final String PROPERTY = "hyperkron.threads";
    /** The most workers a {@link ForkJoinPool} can have. */
    static final int MAX_THREADS = 0x7fff;

    private static volatile Pool pool = new Pool(threadsFromProperty());

    /**
     * A worker pool with the number of calls using it, so that a pool replaced by
     * {@link #setThreads} is shut down only once the work that still holds it has finished.
     */
    private static final class Pool {
        final ForkJoinPool workers;
        final AtomicInteger users = new AtomicInteger();
        volatile boolean retired;

        Pool(int threads) {
            workers = newPool(threads);
        }

        void shutDownIfIdle() {
            if (retired && users.get() == 0) {
                workers.shutdown();
            }
        }
    }

    private Parallel() {
    }

    /** A body that processes the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** The number of worker threads. */
    public static int threads() {
        return pool.workers.getParallelism();
    }

    /**
     * Replaces the shared pool by one of {@code threads} workers. Safe while other threads
     * compute: work already running finishes on the old pool, which is shut down after it.
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("thread count must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        if (threads != threads()) {
            Pool old = pool;
            pool = new Pool(threads);
            old.retired = true;
            old.shutDownIfIdle();
        }
    }

    /** The current pool, counted as used until {@link #release}; never one already shut down. */
    private static Pool acquire() {
        while (true) {
            Pool p = pool;
            p.users.incrementAndGet();
            if (p == pool) {
                return p;
            }
            release(p);
        }
    }

    private static void release(Pool p) {
        p.users.decrementAndGet();
        p.shutDownIfIdle();
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
        Pool held = acquire();
        try {
            forRange(held.workers, n, minChunk, align, body);
        } finally {
            release(held);
        }
    }

    private static void forRange(ForkJoinPool p, int n, int minChunk, int align, RangeBody body) {
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
            if (t >= 1 && t <= MAX_THREADS) {
                return t;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("system property " + PROPERTY + "=" + value
                + " is not a thread count between 1 and " + MAX_THREADS);
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
