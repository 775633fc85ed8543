package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.report.BarChart;
import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.MeanSpread;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.bilevel.train.HistoryEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of a text-cleaning comparison: a table with one row per number of trainable layers
 * and method (mean ± standard deviation over seeds when there are several), results.csv and
 * results.json (one row per run), history.csv (every outer step), per k a plot of test accuracy
 * against time with the Pareto frontier, and a bar chart of the memory each method's
 * hypergradient held (the paper's Figure 1, bottom).
 */
public final class TextCleaningReport {
    private static final double MB = 1 << 20;
    private final List<TextRun> runs;

    public TextCleaningReport(List<TextRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The table printed at the end of a comparison. */
    public Table table() {
        Table t = new Table("k", "method", "steps", "test acc", "clean F1", "time s", "hypergrad ms", "held MB");
        groups().forEach((key, group) -> {
            TextRun first = group.get(0);
            t.row(first.layers(), first.method(), stat(group, r -> r.record().steps(), 0),
                    stat(group, TextRun::testAccuracy, 4),
                    stat(group, TextRun::cleaningF1, 3), stat(group, r -> r.record().seconds(), 1),
                    first.reference() ? "-" : stat(group, r -> 1000 * r.record().meanHypergradientSeconds(), 1),
                    first.learnsWeights() ? stat(group, r -> r.heldBytes() / MB, 1) : "-");
        });
        return t;
    }

    /** Prints the table, writes every file into {@code dir} and lists them. */
    public void printAndWrite(PrintWriter out, Path dir) throws IOException {
        out.println();
        out.print(table());
        long seeds = runs.stream().map(TextRun::seed).distinct().count();
        if (seeds > 1) {
            out.println("(mean ± standard deviation over " + seeds + " seeds)");
        }
        out.println();
        for (Path p : write(dir)) {
            out.println("wrote " + p);
        }
    }

    /** Writes the results, the history and the plots into {@code dir}; returns the files. */
    public List<Path> write(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        List<Map<String, Object>> json = new ArrayList<>();
        for (TextRun r : runs) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("layers", r.layers());
            o.put("method", r.method());
            o.put("seed", r.seed());
            o.put("status", r.record().result().status().name());
            o.put("steps", r.record().steps());
            o.put("seconds", r.record().seconds());
            o.put("meanHypergradientSeconds", r.record().meanHypergradientSeconds());
            o.put("meanInnerSeconds", r.record().meanInnerSeconds());
            o.put("testAccuracy", r.testAccuracy());
            o.put("testLoss", r.record().finalMetrics().getOrDefault("testLoss", Double.NaN));
            o.put("f1", r.cleaningF1());
            o.put("heldBytes", r.heldBytes());
            rows.add(new ArrayList<>(o.values()));
            o.put("model", r.record().model());
            o.put("message", r.record().result().message());
            o.put("finalMetrics", r.record().finalMetrics());
            o.put("warnings", r.record().result().warnings());
            json.add(o);
        }
        files.add(dir.resolve("results.csv"));
        Csv.write(files.get(files.size() - 1), List.of("layers", "method", "seed", "status", "steps", "seconds",
                "meanHypergradientSeconds", "meanInnerSeconds", "testAccuracy", "testLoss", "f1", "heldBytes"), rows);
        files.add(dir.resolve("results.json"));
        JsonFiles.write(files.get(files.size() - 1), json);
        files.add(dir.resolve("history.csv"));
        Csv.write(files.get(files.size() - 1), List.of("layers", "method", "seed", "step", "seconds", "innerLoss",
                "outerLoss", "hypergradientNorm", "testAccuracy", "f1"), historyRows());
        Set<Integer> layers = new LinkedHashSet<>();
        runs.forEach(r -> layers.add(r.layers()));
        for (int k : layers) {
            Path base = dir.resolve("accuracy-vs-time-k" + k);
            accuracyChart(k).save(base);
            files.add(Path.of(base + ".svg"));
            files.add(Path.of(base + ".png"));
        }
        Path memory = dir.resolve("memory");
        memoryChart(layers).save(memory);
        files.add(Path.of(memory + ".svg"));
        files.add(Path.of(memory + ".png"));
        return files;
    }

    /** Each contender's mean test accuracy against mean time at its evaluated steps, and their Pareto frontier. */
    private LineChart accuracyChart(int k) {
        LineChart chart = new LineChart("Text data hypercleaning, k = " + k + " trainable layers: test accuracy vs time",
                "seconds (frozen bottom excluded)", "test accuracy");
        List<double[]> all = new ArrayList<>();
        groups().forEach((key, group) -> {
            if (group.get(0).layers() == k) {
                List<double[]> curve = meanCurve(group);
                all.addAll(curve);
                chart.series(group.get(0).method(), column(curve, 0), column(curve, 1));
            }
        });
        List<double[]> frontier = paretoFrontier(all);
        chart.series("Pareto frontier", column(frontier, 0), column(frontier, 1));
        return chart;
    }

    /**
     * The points no other point beats in both time and accuracy (less or equal time with higher
     * accuracy), by increasing time.
     */
    static List<double[]> paretoFrontier(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> -p[1]));
        List<double[]> frontier = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] > best) {
                frontier.add(p);
                best = p[1];
            }
        }
        return frontier;
    }

    private BarChart memoryChart(Set<Integer> layers) {
        BarChart chart = new BarChart("Memory held by one hypergradient", "method", "MB (measured)");
        List<String> methods = new ArrayList<>();
        runs.stream().filter(TextRun::learnsWeights).map(TextRun::method).distinct().forEach(methods::add);
        for (int k : layers) {
            List<Double> values = new ArrayList<>();
            for (String m : methods) {
                values.add(runs.stream().filter(r -> r.layers() == k && r.method().equals(m))
                        .mapToDouble(r -> r.heldBytes() / MB).max().orElse(0));
            }
            chart.series("k = " + k + " trainable layers", methods, values);
        }
        return chart;
    }

    /** Runs grouped by (layers, method), in the order they ran. */
    private Map<String, List<TextRun>> groups() {
        Map<String, List<TextRun>> groups = new LinkedHashMap<>();
        for (TextRun r : runs) {
            groups.computeIfAbsent(r.layers() + "\u0000" + r.method(), key -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /**
     * (mean seconds, mean test accuracy) of the group's runs at their i-th evaluation, for every i
     * that all of them reached, and at their last evaluation (runs under a time budget can end
     * after different numbers of steps).
     */
    private static List<double[]> meanCurve(List<TextRun> group) {
        List<List<HistoryEntry>> evaluations = new ArrayList<>();
        for (TextRun r : group) {
            evaluations.add(r.record().result().history().stream().filter(e -> e.metrics().containsKey("testAccuracy"))
                    .toList());
        }
        int common = evaluations.stream().mapToInt(List::size).min().orElse(0);
        List<double[]> curve = new ArrayList<>();
        for (int i = 0; i < common; i++) {
            int at = i;
            curve.add(mean(evaluations.stream().map(e -> at == common - 1 ? e.get(e.size() - 1) : e.get(at)).toList()));
        }
        return curve;
    }

    private static double[] mean(List<HistoryEntry> entries) {
        double seconds = entries.stream().mapToDouble(HistoryEntry::seconds).average().orElse(Double.NaN);
        double accuracy = entries.stream().mapToDouble(e -> e.metrics().get("testAccuracy")).average().orElse(Double.NaN);
        return new double[] {seconds, accuracy};
    }

    private static double[] column(List<double[]> points, int i) {
        return points.stream().mapToDouble(p -> p[i]).toArray();
    }

    private List<List<Object>> historyRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (TextRun r : runs) {
            for (HistoryEntry e : r.record().result().history()) {
                rows.add(List.of(r.layers(), r.method(), r.seed(), e.step(), e.seconds(), e.innerLoss(), e.outerLoss(),
                        e.hypergradientNorm(), e.metrics().getOrDefault("testAccuracy", Double.NaN),
                        r.learnsWeights() ? e.metrics().getOrDefault("f1", Double.NaN) : Double.NaN));
            }
        }
        return rows;
    }

    /** The mean of a value over runs, with "± std" (sample standard deviation) when there are several; "-" for none. */
    private static String stat(List<TextRun> group, java.util.function.ToDoubleFunction<TextRun> value, int decimals) {
        return MeanSpread.of(group.stream().mapToDouble(value).toArray()).format(decimals);
    }
}
