package dev.hyperkron.bench.experiments;

import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.LineChart;
import dev.hyperkron.bench.report.MeanSpread;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The results of a poisoning comparison: a table per (budget, method) with means and spreads over
 * the seeds, results.csv (one row per run), results.json (the setup and the runs) and the plot
 * of the retrained victim's accuracy drop against the budget, one line per method.
 */
public final class PoisoningReport {
    private final PoisoningSetup setup;
    private final List<PoisonRun> runs;
    private final boolean defended;

    public PoisoningReport(PoisoningSetup setup, List<PoisonRun> runs) {
        this.setup = setup;
        this.runs = List.copyOf(runs);
        this.defended = setup.defendSteps() > 0;
    }

    /** Runs grouped by budget, then method, in the order they ran. */
    private Map<String, List<PoisonRun>> groups() {
        Map<String, List<PoisonRun>> groups = new LinkedHashMap<>();
        for (PoisonRun r : runs) {
            groups.computeIfAbsent(r.budget() + "\u0000" + r.method(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static String stat(List<PoisonRun> group, ToDoubleFunction<PoisonRun> value, int decimals) {
        return MeanSpread.of(group.stream().mapToDouble(value).toArray()).format(decimals);
    }

    /** The table printed at the end: one row per budget and method, mean (± sd over seeds). */
    public String table() {
        List<String> header = new ArrayList<>(List.of("budget", "P", "method", "steps", "time s", "attacker val loss",
                "victim val loss", "test acc clean", "test acc poisoned", "acc drop"));
        if (defended) {
            header.addAll(List.of("defense P", "defense R", "defense F1"));
        }
        Table table = new Table(header.toArray(String[]::new));
        for (List<PoisonRun> g : groups().values()) {
            PoisonRun first = g.get(0);
            boolean allConverged = g.stream().allMatch(PoisonRun::converged);
            boolean allCompleted = g.stream().allMatch(r -> r.status().equals("COMPLETED"));
            List<Object> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.0f%%", 100 * first.budget()),
                    first.poisonCount(), first.method() + (allCompleted ? "" : " (diverged)") + (allConverged ? "" : "*"),
                    stat(g, PoisonRun::steps, 0), stat(g, PoisonRun::seconds, 1),
                    stat(g, PoisonRun::attackValidationLoss, 3), stat(g, PoisonRun::victimValidationLoss, 3),
                    stat(g, PoisonRun::cleanAccuracy, 3), stat(g, PoisonRun::poisonedAccuracy, 3),
                    stat(g, PoisonRun::accuracyDrop, 3)));
            if (defended) {
                row.addAll(List.of(stat(g, PoisonRun::defensePrecision, 3), stat(g, PoisonRun::defenseRecall, 3),
                        stat(g, PoisonRun::defenseF1, 3)));
            }
            table.row(row.toArray());
        }
        return table.toString();
    }

    /** Whether some victim's Newton retraining stopped above the gradient tolerance (marked * in the table). */
    public boolean anyUnconverged() {
        return runs.stream().anyMatch(r -> !r.converged());
    }

    /** Writes results.csv, results.json and accuracy-drop-vs-budget.svg/png; returns the paths. */
    public List<Path> write(Path out) throws IOException {
        Path csv = out.resolve("results.csv");
        List<List<Object>> rows = new ArrayList<>();
        for (PoisonRun r : runs) {
            rows.add(List.of(r.seed(), r.budget(), r.poisonCount(), r.method(), r.steps(), r.seconds(), r.status(),
                    r.attackValidationLoss(), r.cleanValidationLoss(), r.victimValidationLoss(), r.cleanAccuracy(),
                    r.poisonedAccuracy(), r.accuracyDrop(), r.converged(), r.defensePrecision(), r.defenseRecall(),
                    r.defenseF1()));
        }
        Csv.write(csv, List.of("seed", "budget", "poison", "method", "steps", "seconds", "status",
                "attack_val_loss", "clean_val_loss", "victim_val_loss", "clean_test_acc", "poisoned_test_acc", "acc_drop",
                "converged", "defense_precision", "defense_recall", "defense_f1"), rows);
        Path json = out.resolve("results.json");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("setup", setup);
        document.put("runs", runs);
        JsonFiles.write(json, document);
        Path plot = out.resolve("accuracy-drop-vs-budget");
        chart().save(plot);
        return List.of(csv, json, Path.of(plot + ".svg"), Path.of(plot + ".png"));
    }

    private LineChart chart() {
        LineChart chart = new LineChart("Test accuracy drop of a victim retrained on clean + poison ("
                + setup.dataSet() + ", " + ModelSpec.describe(setup.model(), setup.hidden()) + ")",
                "poison budget (% of the training set)", "accuracy drop (clean - poisoned)");
        Set<String> methods = new LinkedHashSet<>();
        runs.forEach(r -> methods.add(r.method()));
        for (String method : methods) {
            List<double[]> points = new ArrayList<>();
            for (List<PoisonRun> g : groups().values()) {
                if (g.get(0).method().equals(method)) {
                    points.add(new double[] {100 * g.get(0).budget(),
                        MeanSpread.of(g.stream().mapToDouble(PoisonRun::accuracyDrop).toArray()).mean()});
                }
            }
            chart.series(method, points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
        }
        return chart;
    }
}
