package dev.hyperkron.bench.experiments;

import dev.hyperkron.bench.report.BarChart;
import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.bilevel.influence.Correlation;
import dev.hyperkron.bilevel.influence.InfluenceScores;
import dev.hyperkron.bilevel.influence.LeaveOneOut;
import dev.hyperkron.kfac.SolveReport;
import dev.hyperkron.nn.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The results of an influence experiment: per method its time and its Pearson and Spearman
 * correlation with leave-one-out retraining (and, when the exact method ran, Spearman's rho with
 * its scores over every training example), the top proponents and opponents, and the files:
 * results.csv/json, scores.csv, loo.csv, loo-scatter and loo-correlation plots (SVG and PNG).
 */
public final class InfluenceReport {
    private final InfluenceSetup setup;
    private final InfluenceExperiment.Training training;
    private final String query;
    private final Dataset train;
    private final List<InfluenceScores> scores;
    private final List<LeaveOneOut.Change> loo;

    /**
     * One method's line of the table.
     *
     * @param spearmanWithExact Spearman's rho with the exact scores over all n examples, NaN without them
     * @param solve             how the IHVP was solved (iterations, residual, fallback)
     */
    public record MethodRow(String method, double ihvpSeconds, double scoringSeconds, double pearson, double spearman,
                            double spearmanWithExact, String solve) {
    }

    /** A listed proponent or opponent, with its leave-one-out change when it was retrained without. */
    public record Ranked(String method, String kind, int rank, int position, long index, int label, double score,
                         Double looChange) {
    }

    /** One retrained example: the measured change and each method's prediction -I(z)/D. */
    public record LooPoint(int position, long index, int label, double actualChange, Map<String, Double> predicted) {
    }

    public InfluenceReport(InfluenceSetup setup, InfluenceExperiment.Training training, String query, Dataset train,
                           List<InfluenceScores> scores, List<LeaveOneOut.Change> loo) {
        this.setup = setup;
        this.training = training;
        this.query = query;
        this.train = train;
        this.scores = List.copyOf(scores);
        this.loo = List.copyOf(loo);
    }

    /** Per method: times, correlations with leave-one-out and with the exact scores. */
    public List<MethodRow> rows() {
        double[] actual = loo.stream().mapToDouble(LeaveOneOut.Change::queryLossChange).toArray();
        Optional<InfluenceScores> exact = scores.stream().filter(s -> s.method().equals("exact")).findFirst();
        List<MethodRow> rows = new ArrayList<>();
        for (InfluenceScores s : scores) {
            double[] predicted = loo.stream().mapToDouble(c -> s.predictedRemovalChange(c.position())).toArray();
            boolean enough = actual.length >= 2;
            rows.add(new MethodRow(s.method(), s.ihvpSeconds(), s.scoringSeconds(),
                    enough ? Correlation.pearson(predicted, actual) : Double.NaN,
                    enough ? Correlation.spearman(predicted, actual) : Double.NaN,
                    exact.map(e -> Correlation.spearman(e.scores(), s.scores())).orElse(Double.NaN), solve(s.report())));
        }
        return rows;
    }

    private static String solve(SolveReport r) {
        String text = r.iterations() == 0 ? "closed form" : String.format(Locale.ROOT, "%d iterations, residual %.2g",
                r.iterations(), r.relativeResidual());
        return r.tookFallback() ? text + ", fell back to " + r.fallback() : text;
    }

    /** The summary table. */
    public String summary() {
        Table t = new Table("method", "IHVP s", "scoring s", "total s", "Pearson LOO", "Spearman LOO", "Spearman vs exact",
                "IHVP solve");
        for (MethodRow r : rows()) {
            t.row(r.method(), f(r.ihvpSeconds(), 2), f(r.scoringSeconds(), 2), f(r.ihvpSeconds() + r.scoringSeconds(), 2),
                    f(r.pearson(), 3), f(r.spearman(), 3), f(r.spearmanWithExact(), 3), r.solve());
        }
        return t.toString();
    }

    /** Each method's top proponents and opponents. */
    public List<Ranked> ranked() {
        Map<Integer, Double> measured = new LinkedHashMap<>();
        loo.forEach(c -> measured.put(c.position(), c.queryLossChange()));
        List<Ranked> out = new ArrayList<>();
        for (InfluenceScores s : scores) {
            add(out, s, "proponent", s.proponents(setup.top()), measured);
            add(out, s, "opponent", s.opponents(setup.top()), measured);
        }
        return out;
    }

    private void add(List<Ranked> out, InfluenceScores s, String kind, List<InfluenceScores.Ranked> list,
                     Map<Integer, Double> measured) {
        for (int k = 0; k < list.size(); k++) {
            int p = list.get(k).position();
            out.add(new Ranked(s.method(), kind, k + 1, p, train.index(p), train.label(p), list.get(k).score(),
                    measured.get(p)));
        }
    }

    /** The proponents and opponents as a table. */
    public String rankedTable() {
        Table t = new Table("method", "kind", "rank", "position", "data index", "label", "score I(z)", "LOO change");
        for (Ranked r : ranked()) {
            t.row(r.method(), r.kind(), r.rank(), r.position(), r.index(), r.label(), String.format(Locale.ROOT, "%.4g",
                    r.score()), r.looChange() == null ? "-" : String.format(Locale.ROOT, "%.3g", r.looChange()));
        }
        return t.toString();
    }

    private List<LooPoint> looPoints() {
        List<LooPoint> out = new ArrayList<>();
        for (LeaveOneOut.Change c : loo) {
            Map<String, Double> predicted = new LinkedHashMap<>();
            scores.forEach(s -> predicted.put(s.method(), s.predictedRemovalChange(c.position())));
            out.add(new LooPoint(c.position(), train.index(c.position()), train.label(c.position()), c.queryLossChange(),
                    predicted));
        }
        return out;
    }

    /** Writes every result file into {@code out}; returns their paths. */
    public List<Path> write(Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        List<MethodRow> rows = rows();
        Path results = out.resolve("results.csv");
        Csv.write(results, List.of("method", "ihvpSeconds", "scoringSeconds", "pearsonLoo", "spearmanLoo",
                "spearmanWithExact", "solve"), rows.stream().map(r -> List.<Object>of(r.method(), r.ihvpSeconds(),
                r.scoringSeconds(), r.pearson(), r.spearman(), r.spearmanWithExact(), r.solve())).toList());
        written.add(results);
        Path json = out.resolve("results.json");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("setup", setup);
        all.put("query", query);
        Map<String, Object> trained = new LinkedHashMap<>();
        trained.put("objective", training.trainLoss());
        trained.put("testAccuracy", training.testAccuracy());
        trained.put("newtonSteps", training.polish().steps());
        trained.put("gradientNorm", training.polish().gradientNorm());
        trained.put("hessianSmallest", training.spectrum().smallest());
        trained.put("hessianLargest", training.spectrum().largest());
        trained.put("seconds", training.seconds());
        all.put("training", trained);
        all.put("methods", rows);
        all.put("ranked", ranked());
        all.put("leaveOneOut", looPoints());
        JsonFiles.write(json, all);
        written.add(json);
        written.add(writeScores(out.resolve("scores.csv")));
        written.add(writeLoo(out.resolve("loo.csv")));
        written.addAll(plots(out, rows));
        return written;
    }

    private Path writeScores(Path file) throws IOException {
        List<String> header = new ArrayList<>(List.of("position", "dataIndex", "label"));
        scores.forEach(s -> header.add(s.method()));
        List<List<Object>> lines = new ArrayList<>();
        for (int p = 0; p < train.size(); p++) {
            List<Object> line = new ArrayList<>(List.of(p, train.index(p), train.label(p)));
            for (InfluenceScores s : scores) {
                line.add(s.score(p));
            }
            lines.add(line);
        }
        Csv.write(file, header, lines);
        return file;
    }

    private Path writeLoo(Path file) throws IOException {
        List<String> header = new ArrayList<>(List.of("position", "dataIndex", "label", "actualChange"));
        scores.forEach(s -> header.add("predicted " + s.method()));
        List<List<Object>> lines = new ArrayList<>();
        for (LooPoint p : looPoints()) {
            List<Object> line = new ArrayList<>(List.of(p.position(), p.index(), p.label(), p.actualChange()));
            line.addAll(p.predicted().values());
            lines.add(line);
        }
        Csv.write(file, header, lines);
        return file;
    }

    private List<Path> plots(Path out, List<MethodRow> rows) throws IOException {
        if (loo.isEmpty()) {
            return List.of();
        }
        double[] actual = loo.stream().mapToDouble(LeaveOneOut.Change::queryLossChange).toArray();
        LineChart scatter = new LineChart("Leaving one training example out, query: " + query,
                "measured change of the query loss", "predicted change -I(z)/n");
        double lo = Arrays.stream(actual).min().orElseThrow();
        double hi = Arrays.stream(actual).max().orElseThrow();
        scatter.series("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        for (InfluenceScores s : scores) {
            scatter.points(s.method(), actual, loo.stream().mapToDouble(c -> s.predictedRemovalChange(c.position())).toArray());
        }
        Path base = out.resolve("loo-scatter");
        scatter.save(base);
        BarChart bars = new BarChart("Agreement with leave-one-out retraining (" + loo.size() + " examples)", "method",
                "correlation");
        List<String> methods = rows.stream().map(MethodRow::method).toList();
        bars.series("Pearson", methods, rows.stream().map(MethodRow::pearson).toList());
        bars.series("Spearman", methods, rows.stream().map(MethodRow::spearman).toList());
        Path correlation = out.resolve("loo-correlation");
        bars.save(correlation);
        return List.of(Path.of(base + ".svg"), Path.of(base + ".png"), Path.of(correlation + ".svg"),
                Path.of(correlation + ".png"));
    }

    private static String f(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
