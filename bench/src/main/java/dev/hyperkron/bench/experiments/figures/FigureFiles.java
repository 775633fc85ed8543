package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.MeanSpread;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.bilevel.train.HistoryEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every figure writes besides its plots: the summary table (one row per case and
 * contender, mean ± standard deviation over seeds), results.csv and results.json (one row per
 * run, the summaries in the JSON too) and history.csv (every outer step of every run).
 */
public final class FigureFiles {
    private static final List<String> RUN_COLUMNS = List.of("case", "method", "seed", "status", "steps", "seconds",
            "wallSeconds", "meanHypergradientSeconds", "minTestLoss", "secondsToMin", "stepsToMin", "testAccuracyAtMin",
            "f1AtMin");

    private FigureFiles() {
    }

    /** The summary table: lowest test loss, when it was reached, and what the run looked like there. */
    public static Table summary(List<RunSummary> summaries) {
        Table t = new Table("case", "method", "seeds", "steps", "min test loss", "s to min", "steps to min",
                "test acc at min", "clean F1 at min", "hypergrad ms");
        for (RunSummary s : summaries) {
            String diverged = s.diverged() == 0 ? "" : " (" + s.diverged() + " diverged)";
            t.row(s.caseLabel(), s.label() + diverged, s.runs().size(), s.steps().format(0),
                    s.minimumTestLoss().format(4), s.secondsToMinimum().format(1), s.stepsToMinimum().format(0),
                    s.accuracyAtMinimum().format(4), s.reference() ? "-" : s.f1AtMinimum().format(3),
                    s.reference() ? "-" : s.hypergradientMillis().format(1));
        }
        return t;
    }

    /** Writes results.csv, results.json and history.csv into {@code dir}; returns them. */
    public static List<Path> write(Path dir, List<FigureRun> runs, Map<String, Object> settings) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        List<Map<String, Object>> runJson = new ArrayList<>();
        for (FigureRun r : runs) {
            EvaluatedCurve curve = r.curve();
            EvaluatedCurve.Point min = curve.isEmpty() ? null : curve.minimum();
            List<Object> row = List.of(r.caseLabel(), r.label(), r.seed(), r.record().result().status(), r.record().steps(),
                    r.record().seconds(), r.record().wallSeconds(), r.record().meanHypergradientSeconds(),
                    min == null ? "" : min.testLoss(), min == null ? "" : min.seconds(), min == null ? "" : (int) min.step(),
                    min == null ? "" : min.testAccuracy(), min == null || r.reference() ? "" : min.f1());
            rows.add(row);
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < RUN_COLUMNS.size(); i++) {
                Object cell = row.get(i);
                o.put(RUN_COLUMNS.get(i), cell.equals("") ? null : cell instanceof Enum<?> e ? e.name() : cell);
            }
            o.put("message", r.record().result().message());
            o.put("warnings", r.record().result().warnings());
            runJson.add(o);
        }
        List<Map<String, Object>> summaryJson = new ArrayList<>();
        for (RunSummary s : RunSummary.of(runs)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("case", s.caseLabel());
            o.put("method", s.label());
            o.put("reference", s.reference());
            o.put("seeds", s.runs().size());
            o.put("diverged", s.diverged());
            o.put("minTestLoss", json(s.minimumTestLoss()));
            o.put("secondsToMin", json(s.secondsToMinimum()));
            o.put("stepsToMin", json(s.stepsToMinimum()));
            o.put("testAccuracyAtMin", json(s.accuracyAtMinimum()));
            summaryJson.add(o);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("summary", summaryJson);
        json.put("runs", runJson);
        List<Path> files = List.of(dir.resolve("results.csv"), dir.resolve("results.json"), dir.resolve("history.csv"));
        Csv.write(files.get(0), RUN_COLUMNS, rows);
        JsonFiles.write(files.get(1), json);
        Csv.write(files.get(2), List.of("case", "method", "seed", "step", "seconds", "innerLoss", "outerLoss",
                "hypergradientNorm", "testLoss", "testAccuracy", "f1"), historyRows(runs));
        return files;
    }

    private static Map<String, Object> json(MeanSpread m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean", m.count() == 0 ? null : m.mean());
        o.put("sd", m.count() == 0 ? null : m.sd());
        o.put("count", m.count());
        return o;
    }

    private static List<List<Object>> historyRows(List<FigureRun> runs) {
        List<List<Object>> rows = new ArrayList<>();
        for (FigureRun r : runs) {
            for (HistoryEntry e : r.record().result().history()) {
                Map<String, Double> m = e.metrics();
                rows.add(List.of(r.caseLabel(), r.label(), r.seed(), e.step(), e.seconds(), e.innerLoss(), e.outerLoss(),
                        e.hypergradientNorm(), cell(m, "testLoss"), cell(m, "testAccuracy"),
                        r.reference() ? "" : cell(m, "f1")));
            }
        }
        return rows;
    }

    /** A metric's CSV cell: empty for a step that was not evaluated. */
    private static Object cell(Map<String, Double> metrics, String name) {
        return metrics.containsKey(name) ? metrics.get(name) : "";
    }
}
