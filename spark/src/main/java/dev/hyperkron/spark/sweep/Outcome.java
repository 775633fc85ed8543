package dev.hyperkron.spark.sweep;

import java.io.Serializable;

/**
 * What a sweep task reports for its configuration.
 *
 * @param id       the configuration
 * @param exitCode the command's exit code (0, or 1 for a run that finished with a failed status, such as a diverged method)
 * @param seconds  the run's wall-clock seconds (those of the first finished run when it was skipped)
 * @param skipped  whether a finished result was already there (a re-run, or a retried stage)
 */
public record Outcome(String id, int exitCode, double seconds, boolean skipped) implements Serializable {
}
