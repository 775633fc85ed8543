package dev.hyperkron.bench.experiments;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of the IHVP trade-off: a summary table (time to reach cosine 0.9 and 0.99 per
 * method), a table at selected budgets, the hypergradient agreement table, tradeoff.csv,
 * hypergradients.csv and tradeoff.json with every point, and per model plots of cosine
 * similarity (to the damped-Hessian and to the damped-GGN reference) against time on a log axis,
 * and of the hypergradients' cosine against their time (SVG and PNG).
 */
public final class TradeoffReport {
    private static final Set<Integer> SELECTED_BUDGETS = Set.of(0, 1, 2, 5, 10, 20, 50);

    private final IhvpTradeoffSetup setup;
    private final List<ModelTradeoff> models;

    public TradeoffReport(IhvpTradeoffSetup setup, List<ModelTradeoff> models) {
        this.setup = setup;
        this.models = List.copyOf(models);
    }

    /** Per model and method: the cheapest budget reaching cosine 0.9 and 0.99, and the best cosine seen. */
    public Table summary() {
        Table t = new Table("model", "method", "to cos 0.9", "to cos 0.99", "best cos", "best at", "rel err there");
        for (ModelTradeoff m : models) {
            for (String method : methods(m)) {
                List<TradeoffPoint> series = series(m, method);
                TradeoffPoint best = series.stream().max(Comparator.comparingDouble(TradeoffPoint::cosine)).orElseThrow();
                t.row(m.model(), method, reach(series, 0.9), reach(series, 0.99), f(best.cosine(), 4), at(best),
                        f(best.relativeError(), 3));
            }
        }
        return t;
    }

    /** Every closed-form method and the iterative ones at budgets 1, 2, 5, 10, 20 and 50. */
    public Table selected() {
        Table t = new Table("model", "method", "budget", "median s", "min s", "max s", "cosine", "rel err", "GGN cosine");
        for (ModelTradeoff m : models) {
            for (TradeoffPoint p : m.points()) {
                if (SELECTED_BUDGETS.contains(p.budget())) {
                    t.row(m.model(), p.method(), p.budget() == 0 ? "-" : p.budget(), s(p.seconds()), s(p.minSeconds()),
                            s(p.maxSeconds()), f(p.cosine(), 4), f(p.relativeError(), 3), f(p.ggnCosine(), 4));
                }
            }
        }
        return t;
    }

    /** Every method's hypergradient against the exact one, per model. */
    public Table hypergradients() {
        Table t = new Table("model", "method", "budget", "median ms", "min ms", "cosine", "rel err");
        for (ModelTradeoff m : models) {
            for (HypergradientPoint p : m.hypergradients()) {
                t.row(m.model(), p.method(), p.budget() == 0 ? "-" : p.budget(), f(p.millis(), 2), f(p.minMillis(), 2),
                        f(p.cosine(), 4), f(p.relativeError(), 3));
            }
        }
        return t;
    }

    /** Writes tradeoff.csv, tradeoff.json and the plots into {@code dir}; returns the files. */
    public List<Path> write(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (ModelTradeoff m : models) {
            for (TradeoffPoint p : m.points()) {
                rows.add(List.of(m.model(), p.method(), p.budget(), p.seconds(), p.minSeconds(), p.maxSeconds(),
                        p.repetitions(), p.cosine(), p.relativeError(), p.ggnCosine()));
            }
        }
        files.add(dir.resolve("tradeoff.csv"));
        Csv.write(files.get(0), List.of("model", "method", "budget", "seconds", "minSeconds", "maxSeconds", "repetitions",
                "cosine", "relativeError", "ggnCosine"), rows);
        List<List<Object>> hypergradientRows = new ArrayList<>();
        for (ModelTradeoff m : models) {
            for (HypergradientPoint p : m.hypergradients()) {
                hypergradientRows.add(List.of(m.model(), p.method(), p.budget(), p.millis(), p.minMillis(), p.repetitions(),
                        p.cosine(), p.relativeError()));
            }
        }
        Path hypergradientCsv = dir.resolve("hypergradients.csv");
        Csv.write(hypergradientCsv, List.of("model", "method", "budget", "millis", "minMillis", "repetitions", "cosine",
                "relativeError"), hypergradientRows);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("setup", setup);
        json.put("models", models);
        json.put("dampingDescription", setup.dampingDescription());
        files.add(dir.resolve("tradeoff.json"));
        JsonFiles.write(files.get(files.size() - 1), json);
        files.add(hypergradientCsv);
        for (ModelTradeoff m : models) {
            String model = m.model().replaceAll("[^A-Za-z0-9]+", "_");
            String delta = String.format(Locale.ROOT, "delta %.3g%s", m.damping(), setup.methodDamping() ? "" : ", automatic");
            files.addAll(cosinePlot(m, dir.resolve("cosine-vs-time-" + model), "(H + delta I)^-1 v",
                    TradeoffPoint::cosine, delta));
            files.addAll(cosinePlot(m, dir.resolve("ggn-cosine-vs-time-" + model), "(GGN + delta I)^-1 v",
                    TradeoffPoint::ggnCosine, delta));
            if (!m.hypergradients().isEmpty()) {
                LineChart chart = new LineChart(String.format(Locale.ROOT, "Hypergradient accuracy vs cost, %s on %s (%s)",
                        m.model(), setup.dataSet(), delta), "hypergradient milliseconds (median)",
                        "cosine similarity to the exact hypergradient").logX(true);
                Map<String, List<HypergradientPoint>> byMethod = new LinkedHashMap<>();
                m.hypergradients().forEach(p -> byMethod.computeIfAbsent(p.method().replaceAll("\\(\\d+\\)$", ""),
                        k -> new ArrayList<>()).add(p));
                byMethod.forEach((method, series) -> chart.series(method,
                        series.stream().mapToDouble(HypergradientPoint::millis).toArray(),
                        series.stream().mapToDouble(HypergradientPoint::cosine).toArray()));
                Path base = dir.resolve("hypergradient-cosine-vs-time-" + model);
                chart.save(base);
                files.add(Path.of(base + ".svg"));
                files.add(Path.of(base + ".png"));
            }
        }
        return files;
    }

    private List<Path> cosinePlot(ModelTradeoff m, Path base, String reference,
                                  java.util.function.ToDoubleFunction<TradeoffPoint> cosine, String delta)
            throws IOException {
        LineChart chart = new LineChart(String.format(Locale.ROOT, "IHVP accuracy vs cost, %s on %s (%s)", m.model(),
                setup.dataSet(), delta), "wall-clock seconds (median, incl. building operators)",
                "cosine similarity to " + reference).logX(true);
        for (String method : methods(m)) {
            List<TradeoffPoint> series = series(m, method);
            chart.series(method, series.stream().mapToDouble(TradeoffPoint::seconds).toArray(),
                    series.stream().mapToDouble(cosine).toArray());
        }
        chart.save(base);
        return List.of(Path.of(base + ".svg"), Path.of(base + ".png"));
    }

    private static Set<String> methods(ModelTradeoff m) {
        Set<String> names = new LinkedHashSet<>();
        m.points().forEach(p -> names.add(p.method()));
        return names;
    }

    private static List<TradeoffPoint> series(ModelTradeoff m, String method) {
        return m.points().stream().filter(p -> p.method().equals(method)).toList();
    }

    /** "0.0123 s (7)" for the fastest point at or above the cosine (budget in parentheses), "-" if none. */
    private static String reach(List<TradeoffPoint> series, double cosine) {
        return series.stream().filter(p -> p.cosine() >= cosine).min(Comparator.comparingDouble(TradeoffPoint::seconds))
                .map(TradeoffReport::at).orElse("-");
    }

    private static String at(TradeoffPoint p) {
        return s(p.seconds()) + " s" + (p.budget() == 0 ? "" : " (" + p.budget() + ")");
    }

    private static String s(double seconds) {
        return String.format(Locale.ROOT, seconds < 0.01 ? "%.5f" : "%.4f", seconds);
    }

    private static String f(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
