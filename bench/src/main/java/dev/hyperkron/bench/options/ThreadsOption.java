package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.core.kernels.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads}: the size of the tensor kernels' worker pool for this run. */
public final class ThreadsOption {
    /** More workers than this is a typo, not a machine. */
    static final int MAX = 4096;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads of the tensor kernels (default: all cores).")
    Integer threads;

    /** Sizes the pool when --threads was given; a count below 1 or above 4096 is refused. */
    public void apply() {
        if (threads == null) {
            return;
        }
        if (threads < 1 || threads > MAX) {
            throw new UserError("--threads must be between 1 and " + MAX + ", got " + threads);
        }
        Parallel.setThreads(threads);
    }
}
