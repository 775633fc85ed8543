package dev.hyperkron.bilevel.train;

import dev.hyperkron.autodiff.Params;
import java.util.List;

/**
 * The end of a run: why it stopped, the final variables, the whole history, and warnings about a
 * run that completed but may not have done what was meant.
 *
 * @param message  for a diverged run, what went wrong and where the last good checkpoint is
 * @param warnings one sentence each (e.g. the projection pinning most of lambda); empty when none
 */
public record TrainingResult(Status status, String message, Params theta, Params lambda, List<HistoryEntry> history,
                             List<String> warnings) {

    public TrainingResult {
        warnings = List.copyOf(warnings);
    }

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
