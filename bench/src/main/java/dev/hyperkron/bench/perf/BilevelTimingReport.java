package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outputs of bench-bilevel: a table of median step times per method and thread count, the
 * ratios the bilevel issue sets targets for (AID-KFAC's hypergradient against AID-CG and
 * one-step unrolling), bench-bilevel.csv and bench-bilevel.json.
 */
final class BilevelTimingReport {
    private final List<StepTimes> results;

    BilevelTimingReport(List<StepTimes> results) {
        this.results = List.copyOf(results);
    }

    Table table() {
        Table t = new Table("method", "threads", "step ms", "inner ms", "hypergrad ms", "hypergrad share", "steps");
        for (StepTimes r : results) {
            t.row(r.method(), r.threads(), ms(r.medianStep()), ms(r.medianInner()), ms(r.medianHypergradient()),
                    String.format(Locale.ROOT, "%.0f%%", 100 * r.hypergradientShare()), r.steps());
        }
        return t;
    }

    /**
     * One line per thread count and KFAC variant: its hypergradient time over AID-CG's (target
     * below 1) and over one-step unrolling's (target at most 1.5); empty when those were not timed.
     */
    List<String> targetRatios() {
        List<String> lines = new ArrayList<>();
        for (StepTimes kfac : results) {
            if (!kfac.key().startsWith("aid-kfac")) {
                continue;
            }
            Optional<StepTimes> cg = find("aid-cg", kfac.threads());
            Optional<StepTimes> oneStep = find("one-step", kfac.threads());
            cg.ifPresent(c -> lines.add(ratioLine(kfac, c, 1.0, "below")));
            oneStep.ifPresent(o -> lines.add(ratioLine(kfac, o, 1.5, "at most")));
        }
        return lines;
    }

    /** Writes bench-bilevel.csv and bench-bilevel.json (with the run's configuration) into {@code dir}. */
    List<Path> write(Path dir, Map<String, Object> config) throws IOException {
        Path csv = dir.resolve("bench-bilevel.csv");
        List<List<Object>> rows = new ArrayList<>();
        for (StepTimes r : results) {
            rows.add(List.of(r.method(), r.key(), r.threads(), r.steps(), r.medianStep(), r.medianInner(),
                    r.medianHypergradient(), r.hypergradientShare()));
        }
        Csv.write(csv, List.of("method", "key", "threads", "steps", "stepSeconds", "innerSeconds", "hypergradientSeconds",
                "hypergradientShare"), rows);
        Path json = dir.resolve("bench-bilevel.json");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (StepTimes r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", r.method());
            o.put("key", r.key());
            o.put("threads", r.threads());
            o.put("medianStepSeconds", r.medianStep());
            o.put("medianInnerSeconds", r.medianInner());
            o.put("medianHypergradientSeconds", r.medianHypergradient());
            o.put("innerSeconds", r.inner());
            o.put("hypergradientSeconds", r.hypergradient());
            runs.add(o);
        }
        doc.put("runs", runs);
        doc.put("targetRatios", targetRatios());
        JsonFiles.write(json, doc);
        return List.of(csv, json);
    }

    private Optional<StepTimes> find(String key, int threads) {
        return results.stream().filter(r -> r.key().equals(key) && r.threads() == threads).findFirst();
    }

    private static String ratioLine(StepTimes kfac, StepTimes other, double target, String relation) {
        double ratio = kfac.medianHypergradient() / other.medianHypergradient();
        boolean met = relation.equals("below") ? ratio < target : ratio <= target;
        return String.format(Locale.ROOT, "%d thread(s): %s hypergradient / %s hypergradient = %.2f (target %s %.1f: %s)",
                kfac.threads(), kfac.method(), other.method(), ratio, relation, target, met ? "met" : "MISSED");
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.1f", 1000 * seconds);
    }
}
