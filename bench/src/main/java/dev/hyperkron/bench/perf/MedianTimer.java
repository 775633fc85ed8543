package dev.hyperkron.bench.perf;

import java.util.Arrays;

/**
 * Times a piece of work the way bench/scripts/torch_*.py time PyTorch, so that both sides can be
 * compared number for number: warm up for at least a number of runs and a number of seconds
 * (whichever ends later), then time each of {@code reps} runs on its own and keep the median.
 */
public final class MedianTimer {
    private final int warmupRuns;
    private final double warmupSeconds;
    private final int reps;

    public MedianTimer(int warmupRuns, double warmupSeconds, int reps) {
        if (warmupRuns < 0 || !(warmupSeconds >= 0) || reps < 1) {
            throw new IllegalArgumentException("timer: needs warmupRuns >= 0, warmupSeconds >= 0 and reps >= 1, got "
                    + warmupRuns + ", " + warmupSeconds + ", " + reps);
        }
        this.warmupRuns = warmupRuns;
        this.warmupSeconds = warmupSeconds;
        this.reps = reps;
    }

    public int reps() {
        return reps;
    }

    /** Median seconds of one run of {@code work}. */
    public double medianSeconds(Runnable work) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmupRuns || System.nanoTime() < warmupEnd; i++) {
            work.run();
        }
        long[] nanos = new long[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double median = reps % 2 == 1 ? nanos[reps / 2] : (nanos[reps / 2 - 1] + nanos[reps / 2]) / 2.0;
        return median / 1e9;
    }
}
