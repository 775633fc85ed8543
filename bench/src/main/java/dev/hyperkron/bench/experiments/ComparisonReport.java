package dev.hyperkron.bench.experiments;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.bilevel.train.HistoryEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of a hypercleaning comparison: a results table, results.csv and results.json (one
 * row per run), history.csv (every outer step of every run), and per model a plot of test loss
 * against wall-clock time (SVG and PNG).
 */
public final class ComparisonReport {
    private final List<RunRecord> runs;

    public ComparisonReport(List<RunRecord> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The table printed at the end of a comparison. */
    public Table table() {
        Table t = new Table("model", "method", "steps", "time s", "hypergrad ms", "inner ms", "test loss", "test acc",
                "clean F1", "precision", "recall");
        for (RunRecord r : runs) {
            Map<String, Double> m = r.finalMetrics();
            String marks = (fallbacks(r).isEmpty() ? "" : "*") + (diverged(r) ? " (diverged)" : "");
            t.row(r.model(), r.method() + marks, r.steps(), f(r.seconds(), 1), f(1000 * r.meanHypergradientSeconds(), 1),
                    f(1000 * r.meanInnerSeconds(), 1), f(m.get("testLoss"), 4), f(m.get("testAccuracy"), 4),
                    f(m.get("f1"), 3), f(m.get("precision"), 3), f(m.get("recall"), 3));
        }
        return t;
    }

    /**
     * One line per run whose IHVP solver took a fallback (CG breaking down on indefinite curvature
     * and solving with MINRES instead), saying in how many of its outer steps: the starred rows.
     */
    public List<String> footnotes() {
        List<String> notes = new ArrayList<>();
        for (RunRecord r : runs) {
            Map<String, Long> taken = fallbacks(r);
            taken.forEach((fallback, count) -> notes.add(String.format(java.util.Locale.ROOT,
                    "* %s %s: CG broke down (negative curvature, or a residual above ||v||) in %d of %d outer steps "
                            + "and fell back to %s",
                    r.model(), r.method(), count, r.steps(), fallback)));
        }
        return notes;
    }

    /**
     * How long the runs took as the user waited, when measured: "time s" counts only the outer
     * steps (the budget's clock), not the test evaluations and checkpoints between them.
     */
    public java.util.Optional<String> wallClockNote() {
        double wall = runs.stream().mapToDouble(RunRecord::wallSeconds).sum();
        if (Double.isNaN(wall)) {
            return java.util.Optional.empty();
        }
        double steps = runs.stream().mapToDouble(RunRecord::seconds).sum();
        return java.util.Optional.of(String.format(java.util.Locale.ROOT, "time s counts the outer steps only: the runs "
                + "took %.1f s of wall-clock time, %.1f s of it evaluating test metrics and writing checkpoints "
                + "(wallSeconds in results.csv)", wall, Math.max(0, wall - steps)));
    }

    private static boolean diverged(RunRecord r) {
        return r.result().status() == dev.hyperkron.bilevel.train.TrainingResult.Status.DIVERGED;
    }

    /** The run's last finite metrics: a diverged run without an evaluation has none (empty cells, not NaN). */
    private static Map<String, Double> finiteMetrics(RunRecord r) {
        Map<String, Double> finite = new LinkedHashMap<>();
        r.finalMetrics().forEach((name, value) -> {
            if (Double.isFinite(value)) {
                finite.put(name, value);
            }
        });
        return finite;
    }

    private static Map<String, Long> fallbacks(RunRecord r) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (HistoryEntry e : r.result().history()) {
            if (!e.solverFallback().isEmpty()) {
                counts.merge(e.solverFallback(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Prints the table and its footnotes, writes every file into {@code dir} and lists them. */
    public void printAndWrite(PrintWriter out, Path dir) throws IOException {
        out.println();
        out.print(table());
        footnotes().forEach(out::println);
        wallClockNote().ifPresent(out::println);
        out.println();
        for (Path p : write(dir)) {
            out.println("wrote " + p);
        }
    }

    /** Writes results.csv, results.json, history.csv and the plots into {@code dir}; returns the files. */
    public List<Path> write(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> metricNames = new ArrayList<>(List.of("testLoss", "testAccuracy", "f1", "precision", "recall", "flagged"));
        List<String> header = new ArrayList<>(List.of("model", "method", "status", "steps", "seconds", "wallSeconds",
                "hypergradientSeconds", "innerSeconds"));
        header.addAll(metricNames);
        List<List<Object>> rows = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (RunRecord r : runs) {
            List<Object> row = new ArrayList<>(List.of(r.model(), r.method(), r.result().status(), r.steps(), r.seconds(),
                    Double.isNaN(r.wallSeconds()) ? "" : r.wallSeconds(), r.meanHypergradientSeconds(), r.meanInnerSeconds()));
            Map<String, Double> metrics = finiteMetrics(r);
            for (String m : metricNames) {
                row.add(metrics.containsKey(m) ? metrics.get(m) : "");
            }
            rows.add(row);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", r.model());
            o.put("method", r.method());
            o.put("status", r.result().status().name());
            o.put("message", r.result().message());
            o.put("steps", r.steps());
            o.put("seconds", r.seconds());
            o.put("wallSeconds", Double.isNaN(r.wallSeconds()) ? null : r.wallSeconds());
            o.put("meanHypergradientSeconds", r.meanHypergradientSeconds());
            o.put("meanInnerSeconds", r.meanInnerSeconds());
            o.put("finalMetrics", finiteMetrics(r));
            o.put("solverFallbacks", fallbacks(r));
            o.put("warnings", r.result().warnings());
            json.add(o);
        }
        files.add(dir.resolve("results.csv"));
        Csv.write(files.get(files.size() - 1), header, rows);
        files.add(dir.resolve("results.json"));
        JsonFiles.write(files.get(files.size() - 1), json);
        files.add(dir.resolve("history.csv"));
        Csv.write(files.get(files.size() - 1), List.of("model", "method", "step", "seconds", "innerLoss", "outerLoss",
                "hypergradientNorm", "solverFallback", "testLoss", "testAccuracy", "f1"), historyRows());
        Set<String> models = new LinkedHashSet<>();
        runs.forEach(r -> models.add(r.model()));
        for (String model : models) {
            // log scale: the converged region, where methods differ, is squashed on a linear one
            LineChart chart = new LineChart("Data hypercleaning, " + model + ": test loss vs time",
                    "wall-clock seconds", "test loss (log scale)").logY(true);
            for (RunRecord r : runs) {
                if (r.model().equals(model)) {
                    List<double[]> points = testLossPoints(r);
                    chart.series(r.method(), points.get(0), points.get(1));
                }
            }
            Path base = dir.resolve("test-loss-vs-time-" + model.replaceAll("[^A-Za-z0-9]+", "_"));
            chart.save(base);
            files.add(Path.of(base + ".svg"));
            files.add(Path.of(base + ".png"));
        }
        return files;
    }

    private List<List<Object>> historyRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (RunRecord r : runs) {
            for (HistoryEntry e : r.result().history()) {
                rows.add(List.of(r.model(), r.method(), e.step(), e.seconds(), e.innerLoss(), e.outerLoss(),
                        e.hypergradientNorm(), e.solverFallback(), cell(e.metrics(), "testLoss"),
                        cell(e.metrics(), "testAccuracy"), cell(e.metrics(), "f1")));
            }
        }
        return rows;
    }

    /** A metric's CSV cell: empty for a step that was not evaluated. */
    private static Object cell(Map<String, Double> metrics, String name) {
        return metrics.containsKey(name) ? metrics.get(name) : "";
    }

    private static List<double[]> testLossPoints(RunRecord r) {
        List<HistoryEntry> evaluated = r.result().history().stream()
                .filter(e -> e.metrics().getOrDefault("testLoss", Double.NaN) > 0).toList(); // log scale: positive only
        double[] x = new double[evaluated.size()];
        double[] y = new double[evaluated.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = evaluated.get(i).seconds();
            y[i] = evaluated.get(i).metrics().get("testLoss");
        }
        return List.of(x, y);
    }

    private static String f(Double value, int decimals) {
        return value == null || value.isNaN() ? "-" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }
}
