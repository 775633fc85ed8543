package dev.hyperkron.bilevel.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** History entries to and from the JSON trees of core's {@code Json}. */
final class HistoryJson {
    private HistoryJson() {
    }

    static Map<String, Object> toJson(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", (long) e.step());
        m.put("seconds", e.seconds());
        m.put("innerLoss", e.innerLoss());
        m.put("outerLoss", e.outerLoss());
        m.put("innerSeconds", e.innerSeconds());
        m.put("hypergradientSeconds", e.hypergradientSeconds());
        m.put("hypergradientNorm", e.hypergradientNorm());
        m.put("solverFallback", e.solverFallback());
        m.put("metrics", new LinkedHashMap<String, Object>(e.metrics()));
        return m;
    }

    static HistoryEntry fromJson(Object json) {
        Map<?, ?> m = (Map<?, ?>) json;
        Map<String, Double> metrics = new LinkedHashMap<>();
        ((Map<?, ?>) m.get("metrics")).forEach((k, v) -> metrics.put((String) k, ((Number) v).doubleValue()));
        return new HistoryEntry(((Number) m.get("step")).intValue(), number(m, "seconds"), number(m, "innerLoss"),
                number(m, "outerLoss"), number(m, "innerSeconds"), number(m, "hypergradientSeconds"),
                m.containsKey("hypergradientNorm") ? number(m, "hypergradientNorm") : Double.NaN,
                m.containsKey("solverFallback") ? (String) m.get("solverFallback") : "", metrics);
    }

    private static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
