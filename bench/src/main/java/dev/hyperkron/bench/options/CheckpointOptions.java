package dev.hyperkron.bench.options;

import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-every} and {@code --resume}: every run of a command checkpoints into
 * OUT/checkpoints, so that an interrupted command continues where it stopped.
 */
public final class CheckpointOptions {
    @Option(names = "--checkpoint-every", description = "Checkpoint every N outer steps into OUT/checkpoints "
            + "(default: ${DEFAULT-VALUE}, only at the end of each run).", defaultValue = "0")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoints in OUT/checkpoints: finished runs are "
            + "read back, an interrupted one continues from its last checkpoint.")
    boolean resume;

    public void validate() {
        Checks.atLeast("--checkpoint-every", checkpointEvery, 0);
    }

    /** Outer steps between checkpoints (0: only at the end of each run). */
    public int every() {
        return checkpointEvery;
    }

    public boolean resume() {
        return resume;
    }
}
