package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.TrainingResult;
import java.util.List;
import java.util.Map;

/**
 * One finished run of a comparison: which model and method, and its result.
 *
 * @param model  model description, e.g. "mlp(64)"
 * @param method the hypergradient method's name
 */
public record RunRecord(String model, String method, TrainingResult result) {

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

    /** Accumulated wall-clock seconds of the run. */
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
