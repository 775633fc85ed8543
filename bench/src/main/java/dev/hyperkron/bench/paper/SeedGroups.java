package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Per-seed result rows of a command's JSON grouped by a key (method, budget, layers), with the
 * mean and standard deviation of a field over the seeds of each group.
 */
final class SeedGroups {
    private final Map<String, List<JsonNode>> groups = new LinkedHashMap<>();

    SeedGroups(Iterable<JsonNode> runs, Function<JsonNode, String> key) {
        for (JsonNode run : runs) {
            groups.computeIfAbsent(key.apply(run), k -> new ArrayList<>()).add(run);
        }
    }

    /** Group keys in first-seen order. */
    Iterable<String> keys() {
        return groups.keySet();
    }

    /** The mean and sample standard deviation of a numeric field over a group (NaN if a run lacks it). */
    Optional<FigureSummary.Stat> stat(String key, String field) {
        List<JsonNode> runs = groups.get(key);
        if (runs == null) {
            return Optional.empty();
        }
        double[] values = runs.stream().mapToDouble(r -> r.path(field).isNumber() ? r.path(field).asDouble()
                : Double.NaN).toArray();
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Optional.of(new FigureSummary.Stat(mean, values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0));
    }

    /** The first key that equals {@code name} or, for a name ending in "(", starts with it. */
    Optional<String> find(String name) {
        return groups.keySet().stream().filter(k -> k.equals(name) || name.endsWith("(") && k.startsWith(name))
                .findFirst();
    }
}
