package dev.hyperkron.bilevel.train;

import java.io.IOException;
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

    static HistoryEntry fromJson(CheckpointEntries m) throws IOException {
        return new HistoryEntry((int) m.integer("step"), m.number("seconds"), m.number("innerLoss"),
                m.number("outerLoss"), m.number("innerSeconds"), m.number("hypergradientSeconds"),
                m.has("hypergradientNorm") ? m.number("hypergradientNorm") : Double.NaN,
                m.has("solverFallback") ? m.string("solverFallback") : "", m.object("metrics").numbers());
    }
}
