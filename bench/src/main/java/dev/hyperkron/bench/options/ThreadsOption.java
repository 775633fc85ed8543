package dev.hyperkron.bench.options;

import dev.hyperkron.core.kernels.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads}: the size of the tensor kernels' worker pool for this run. */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads of the tensor kernels (default: all cores).")
    Integer threads;

    /** Refuses a count below 1 or above {@value Checks#MAX_THREADS}. */
    public void validate() {
        if (threads != null) {
            Checks.threads("--threads", threads);
        }
    }

    /** Sizes the pool when --threads was given. */
    public void apply() {
        validate();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }
}
