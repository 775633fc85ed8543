package dev.hyperkron.bilevel.train;

import java.nio.file.Path;
import java.util.List;

/**
 * A resume refused because the checkpoint was written with other settings than the run's (see
 * {@link TrainerConfig#settings}): continuing would silently mix two runs.
 */
public final class ResumeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> differences;

    ResumeMismatchException(Path dir, List<String> differences) {
        super("cannot resume from the checkpoint in " + dir + ": it was written with other settings: "
                + String.join(", ", differences) + "; use the same settings or another checkpoint folder "
                + "(the budget and the evaluation and checkpoint intervals may change on resume)");
        this.differences = List.copyOf(differences);
    }

    /** One "name value-in-the-checkpoint (now current-value)" per differing setting, in name order. */
    public List<String> differences() {
        return differences;
    }
}
