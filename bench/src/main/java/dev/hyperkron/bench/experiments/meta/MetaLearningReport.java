package dev.hyperkron.bench.experiments.meta;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.MeanSpread;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a meta-learning comparison: a table per method (final meta-test score with its 95%
 * interval over tasks, meta-steps, time), every evaluation as CSV and JSON, and the score against
 * meta-training seconds as PNG and SVG.
 */
public final class MetaLearningReport {
    private final String description;
    private final String title;
    private final boolean accuracy;
    private final List<MetaLearningExperiment.MethodRun> runs;

    public MetaLearningReport(String description, String title, boolean accuracy,
                              List<MetaLearningExperiment.MethodRun> runs) {
        this.description = description;
        this.title = title;
        this.accuracy = accuracy;
        this.runs = List.copyOf(runs);
    }

    private String scoreName() {
        return accuracy ? "meta-test accuracy" : "meta-test MSE";
    }

    private String format(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, accuracy ? "%.1f%%" : "%.3f", accuracy ? 100 * value : value)
                : "-";
    }

    /**
     * One row per method: the final score as mean ± 95% half-width over the meta-test tasks (with
     * several seeds, the means over seeds of both), the score at step 0, meta-steps and seconds.
     */
    public String table() {
        Table t = new Table("method", "seeds", "meta-steps", "seconds", "ms/step", scoreName() + " at start",
                scoreName() + " (95% CI)");
        for (String method : methods()) {
            List<MetaLearningExperiment.MethodRun> of = runs.stream().filter(r -> r.method().equals(method)).toList();
            double steps = mean(of.stream().mapToDouble(MetaLearningExperiment.MethodRun::steps).toArray());
            double seconds = mean(of.stream().mapToDouble(MetaLearningExperiment.MethodRun::seconds).toArray());
            double start = mean(of.stream().mapToDouble(r -> r.curve().get(0).score()).toArray());
            double score = mean(of.stream().mapToDouble(r -> r.last().score()).toArray());
            double half = mean(of.stream().mapToDouble(r -> r.last().halfWidth()).toArray());
            t.row(method, of.size(), String.format(Locale.ROOT, "%.0f", steps), String.format(Locale.ROOT, "%.1f", seconds),
                    String.format(Locale.ROOT, "%.0f", steps > 0 ? 1000 * seconds / steps : Double.NaN), format(start),
                    format(score) + " ± " + format(half));
        }
        return t.toString();
    }

    private static double mean(double[] values) {
        return MeanSpread.of(values).mean();
    }

    private List<String> methods() {
        return runs.stream().map(MetaLearningExperiment.MethodRun::method).distinct().toList();
    }

    /** Writes results.csv, results.json and meta-learn-vs-time.png/.svg into {@code out}; returns the files. */
    public List<Path> write(Path out, Map<String, Object> setup) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        LineChart chart = new LineChart(title, "meta-training seconds", scoreName());
        for (MetaLearningExperiment.MethodRun r : runs) {
            double[] x = new double[r.curve().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                MetaLearningExperiment.Point p = r.curve().get(i);
                rows.add(List.of(r.method(), r.seed(), p.step(), p.seconds(), p.score(), p.halfWidth()));
                x[i] = p.seconds();
                y[i] = p.score();
            }
            boolean seeds = runs.stream().anyMatch(o -> o.seed() != r.seed());
            chart.series(seeds ? r.method() + " (seed " + r.seed() + ")" : r.method(), x, y);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("method", r.method());
            run.put("seed", r.seed());
            run.put("metaSteps", r.steps());
            run.put("seconds", r.seconds());
            run.put("finalScore", finite(r.last().score()));
            run.put("finalHalfWidth95", finite(r.last().halfWidth()));
            run.put("failure", r.failure().orElse(null));
            run.put("curve", r.curve().stream().map(p -> Map.of("step", p.step(), "seconds", p.seconds(),
                    "score", finite(p.score()), "halfWidth95", finite(p.halfWidth()))).toList());
            json.add(run);
        }
        Path csv = out.resolve("results.csv");
        Csv.write(csv, List.of("method", "seed", "step", "seconds", accuracy ? "accuracy" : "mse", "halfWidth95"), rows);
        Path jsonFile = out.resolve("results.json");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("description", description);
        document.put("score", scoreName());
        document.put("setup", setup);
        document.put("runs", json);
        JsonFiles.write(jsonFile, document);
        Path plot = out.resolve("meta-learn-vs-time");
        chart.save(plot);
        return List.of(csv, jsonFile, Path.of(plot + ".png"), Path.of(plot + ".svg"));
    }

    /** JSON has no NaN: a missing score (a diverged adaptation) is written as the string "NaN". */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : "NaN";
    }
}
