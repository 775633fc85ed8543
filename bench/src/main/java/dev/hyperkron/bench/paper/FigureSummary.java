package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The summary rows of a figure command's {@code results.json} (figure2, figure3, figure5): per
 * case and method, the lowest test loss (mean and spread over seeds) and the seconds to reach it.
 */
final class FigureSummary {
    /** A mean and its standard deviation over seeds. */
    record Stat(double mean, double sd) {
        String format() {
            return Double.isNaN(mean) ? "diverged" : sd > 0 ? String.format(java.util.Locale.ROOT, "%.3f ± %.3f", mean, sd)
                    : String.format(java.util.Locale.ROOT, "%.3f", mean);
        }
    }

    /** One method's row in one case. */
    record Row(Stat minTestLoss, Stat secondsToMin) {
    }

    private final Map<String, Map<String, Row>> cases = new LinkedHashMap<>();

    FigureSummary(JsonNode results) {
        for (JsonNode s : results.path("summary")) {
            cases.computeIfAbsent(s.path("case").asText(), k -> new LinkedHashMap<>())
                    .put(s.path("method").asText(), new Row(stat(s.path("minTestLoss")), stat(s.path("secondsToMin"))));
        }
    }

    private static Stat stat(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return new Stat(Double.NaN, 0);
        }
        return new Stat(n.path("mean").asDouble(Double.NaN), n.path("sd").asDouble(0));
    }

    /** Case labels in the order the figure ran them. */
    Iterable<String> cases() {
        return cases.keySet();
    }

    /** The row of the method whose name starts with {@code prefix} in a case (e.g. "AID-CG(" for any T). */
    Optional<Row> row(String caseLabel, String prefix) {
        return cases.getOrDefault(caseLabel, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().equals(prefix) || prefix.endsWith("(") && e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).findFirst();
    }
}
