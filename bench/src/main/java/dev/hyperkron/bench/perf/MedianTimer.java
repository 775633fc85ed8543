package dev.hyperkron.bench.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times a piece of work the way bench/scripts/torch_*.py time PyTorch, so that both sides can be
 * compared number for number: warm up for at least a number of runs and a number of seconds
 * (whichever ends later), then time each of {@code reps} runs on its own and keep the median. The
 * commands also warm every workload up once before timing anything, so that the JIT has compiled
 * the shared code paths before the first figure is taken.
 * The clock is wall time, or the CPU time of the calling thread: on a loaded machine the latter
 * leaves out the time other processes hold the core, and with one worker thread it is the whole
 * cost, since the library then runs everything on the calling thread.
 */
public final class MedianTimer {
    /** What a run's time is measured in. */
    public enum Clock { WALL, THREAD }

    private final int warmupRuns;
    private final double warmupSeconds;
    private final int reps;
    private final LongSupplier nanos;

    public MedianTimer(int warmupRuns, double warmupSeconds, int reps, Clock clock) {
        if (warmupRuns < 0 || !(warmupSeconds >= 0) || reps < 1) {
            throw new IllegalArgumentException("timer: needs warmupRuns >= 0, warmupSeconds >= 0 and reps >= 1, got "
                    + warmupRuns + ", " + warmupSeconds + ", " + reps);
        }
        this.warmupRuns = warmupRuns;
        this.warmupSeconds = warmupSeconds;
        this.reps = reps;
        if (clock == Clock.THREAD) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isCurrentThreadCpuTimeSupported()) {
                throw new IllegalArgumentException("timer: this JVM cannot measure thread CPU time; use the wall clock");
            }
            this.nanos = threads::getCurrentThreadCpuTime;
        } else {
            this.nanos = System::nanoTime;
        }
    }

    public int reps() {
        return reps;
    }

    /** Runs {@code work} for the warm-up (runs and seconds) without timing it. */
    public void warmUp(Runnable work) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmupRuns || System.nanoTime() < warmupEnd; i++) {
            work.run();
        }
    }

    /** Median seconds of one run of {@code work}, after its warm-up. */
    public double medianSeconds(Runnable work) {
        warmUp(work);
        long[] nanos = new long[reps];
        for (int i = 0; i < reps; i++) {
            long start = this.nanos.getAsLong();
            work.run();
            nanos[i] = this.nanos.getAsLong() - start;
        }
        Arrays.sort(nanos);
        double median = reps % 2 == 1 ? nanos[reps / 2] : (nanos[reps / 2 - 1] + nanos[reps / 2]) / 2.0;
        return median / 1e9;
    }
}
