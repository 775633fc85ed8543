package dev.hyperkron.bilevel.train;

import dev.hyperkron.autodiff.Params;
import java.util.List;

/**
 * The end of a run: why it stopped, the final variables and the whole history.
 *
 * @param message for a diverged run, what went wrong and where the last good checkpoint is
 */
public record TrainingResult(Status status, String message, Params theta, Params lambda, List<HistoryEntry> history) {

    /** How a run ended. */
    public enum Status {
        /** The budget was used up. */
        COMPLETED,
        /** A loss or hypergradient became NaN or infinite; the run stopped before taking that step. */
        DIVERGED
    }

    public HistoryEntry last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
