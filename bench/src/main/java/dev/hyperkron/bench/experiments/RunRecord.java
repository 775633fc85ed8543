package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.TrainingResult;
import java.util.List;
import java.util.Map;

/**
 * One finished run of a comparison: which model and method, its result, and its wall-clock time.
 *
 * @param model       model description, e.g. "mlp(64)"
 * @param method      the hypergradient method's name
 * @param wallSeconds the whole run as the user waited for it, including the evaluations and
 *                    checkpoints that the budget and {@link #seconds()} leave out (NaN: not measured)
 */
public record RunRecord(String model, String method, TrainingResult result, double wallSeconds) {

    /** A run whose wall-clock time was not measured. */
    public RunRecord(String model, String method, TrainingResult result) {
        this(model, method, result, Double.NaN);
    }

    /** Metrics of the last evaluated step (empty if none). */
    public Map<String, Double> finalMetrics() {
        List<HistoryEntry> h = result.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            if (!h.get(i).metrics().isEmpty()) {
                return h.get(i).metrics();
            }
        }
        return Map.of();
    }

    public int steps() {
        return result.history().size();
    }

    /** Accumulated wall-clock seconds of the run's outer steps (the budget's clock: no evaluation, no checkpoints). */
    public double seconds() {
        HistoryEntry last = result.last();
        return last == null ? 0 : last.seconds();
    }

    /** Mean seconds per hypergradient (0 when no steps were taken). */
    public double meanHypergradientSeconds() {
        return result.history().stream().mapToDouble(HistoryEntry::hypergradientSeconds).average().orElse(0);
    }

    /** Mean seconds per inner phase. */
    public double meanInnerSeconds() {
        return result.history().stream().mapToDouble(HistoryEntry::innerSeconds).average().orElse(0);
    }
}
