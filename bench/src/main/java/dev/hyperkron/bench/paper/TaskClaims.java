package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The claims about scale and tasks: text hypercleaning with a BERT encoder (Figures 4 and 1,
 * bottom), meta-learning, data poisoning, and that KFAC consistently beats unrolling across them.
 */
final class TaskClaims {
    private static final String BASELINE = "baseline (uniform weights)";

    private TaskClaims() {
    }

    /** One comparison row and its outcome. */
    private record Compared(List<String> row, Tally.Outcome outcome) {
    }

    private static Optional<Compared> compare(Tally tally, String context, SeedGroups groups, String ours, String theirs,
                                              String field, boolean lowerIsBetter, double scale, String unit) {
        Optional<String> a = groups.find(ours);
        Optional<String> b = groups.find(theirs);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        FigureSummary.Stat x = groups.stat(a.get(), field).orElseThrow();
        FigureSummary.Stat y = groups.stat(b.get(), field).orElseThrow();
        Tally.Outcome o = tally.compare(x.mean(), x.sd(), y.mean(), y.sd(), lowerIsBetter);
        return Optional.of(new Compared(List.of(context, a.get(), format(x, scale, unit), b.get(), format(y, scale, unit),
                o.label()), o));
    }

    private static String format(FigureSummary.Stat s, double scale, String unit) {
        String mean = String.format(Locale.ROOT, "%.4g", s.mean() * scale);
        return (s.sd() > 0 ? mean + String.format(Locale.ROOT, " ± %.2g", s.sd() * scale) : mean) + unit;
    }

    private static final List<String> HEADER = List.of("setting", "KFAC-based", "value", "opponent", "value", "outcome");

    private static ClaimResult result(String id, String figure, String claim, Tally tally, String what,
                                      List<List<String>> rows, List<String> plots, List<String> stages) {
        String reason = tally.total() == 0 ? "none of the compared methods ran" : what + ": " + tally.summary() + ".";
        return new ClaimResult(id, figure, claim, Verdict.of(tally), reason, HEADER, rows, plots, stages);
    }

    private static SeedGroups textGroups(JsonNode runs, String layers) {
        List<JsonNode> atK = new ArrayList<>();
        runs.forEach(run -> {
            if (run.path("layers").asText().equals(layers)) {
                atK.add(run);
            }
        });
        return new SeedGroups(atK, run -> run.path("method").asText());
    }

    private static List<String> layers(JsonNode runs) {
        List<String> ks = new ArrayList<>();
        runs.forEach(run -> {
            if (!ks.contains(run.path("layers").asText())) {
                ks.add(run.path("layers").asText());
            }
        });
        return ks;
    }

    static ClaimResult textMemory(PaperResults r) {
        String id = "modest-overhead";
        String figure = "Figure 1 (bottom)";
        String claim = "At BERT scale KFAC's hypergradient needs only modest memory and time: less memory than unrolling "
                + "and less time than CG.";
        Optional<JsonNode> json = r.json(PaperPlan.TEXT, "results.json");
        if (json.isEmpty()) {
            return ClaimResult.notRun(id, figure, claim, r.whyMissing(PaperPlan.TEXT), List.of(PaperPlan.TEXT));
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String k : layers(json.get())) {
            SeedGroups g = textGroups(json.get(), k);
            compare(tally, "k = " + k + ", memory held", g, "AID-KFAC", "one-step", "heldBytes", true, 1e-6, " MB")
                    .ifPresent(c -> rows.add(c.row()));
            compare(tally, "k = " + k + ", hypergradient time", g, "AID-KFAC", "AID-CG(", "meanHypergradientSeconds", true,
                    1e3, " ms").ifPresent(c -> rows.add(c.row()));
        }
        return result(id, figure, claim, tally, "memory held by the hypergradient and its time, per number k of trained "
                + "layers", rows, r.plots(PaperPlan.TEXT, "memory\\.svg"), List.of(PaperPlan.TEXT));
    }

    static ClaimResult textAccuracy(PaperResults r) {
        String id = "bert-text";
        String figure = "Figure 4";
        String claim = "Curvature is valuable at scale: on text hypercleaning with a BERT encoder, AID-KFAC reaches a higher "
                + "test accuracy than one-step unrolling and than uniform weights.";
        Optional<JsonNode> json = r.json(PaperPlan.TEXT, "results.json");
        if (json.isEmpty()) {
            return ClaimResult.notRun(id, figure, claim, r.whyMissing(PaperPlan.TEXT), List.of(PaperPlan.TEXT));
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String k : layers(json.get())) {
            SeedGroups g = textGroups(json.get(), k);
            for (String opponent : List.of("one-step", BASELINE)) {
                compare(tally, "k = " + k + ", test accuracy", g, "AID-KFAC", opponent, "testAccuracy", false, 1, "")
                        .ifPresent(c -> rows.add(c.row()));
            }
        }
        return result(id, figure, claim, tally, "test accuracy at the end of the same budget", rows,
                r.plots(PaperPlan.TEXT, "accuracy-vs-time-.*"), List.of(PaperPlan.TEXT));
    }

    static ClaimResult meta(PaperResults r) {
        String id = "meta-learning";
        String figure = "Meta-learning experiments";
        String claim = "In meta-learning, implicit MAML with the KFAC IHVP matches or beats iMAML with CG and the unrolled "
                + "MAML.";
        Optional<JsonNode> json = r.json(PaperPlan.META, "results.json");
        if (json.isEmpty()) {
            return ClaimResult.notRun(id, figure, claim, r.whyMissing(PaperPlan.META), List.of(PaperPlan.META));
        }
        boolean lower = !json.get().path("score").asText().contains("accuracy");
        SeedGroups g = new SeedGroups(json.get().path("runs"), run -> run.path("method").asText());
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        String score = json.get().path("score").asText("score");
        for (String opponent : List.of("iMAML-CG(", "MAML", "FOMAML")) {
            compare(tally, score + " after the budget", g, "iMAML-KFAC", opponent, "finalScore", lower, 1, "")
                    .ifPresent(c -> rows.add(c.row()));
        }
        return result(id, figure, claim, tally, json.get().path("description").asText("meta-learning") + ", " + score
                + " at the end of the same budget", rows, r.plots(PaperPlan.META, ".*\\.svg"), List.of(PaperPlan.META));
    }

    static ClaimResult poison(PaperResults r) {
        String id = "poisoning";
        String figure = "AI-safety experiments (data poisoning)";
        String claim = "As a data-poisoning attacker, AID-KFAC's poison hurts the retrained victim more than one-step "
                + "unrolling's and than AID-CG's at the same cost.";
        Optional<JsonNode> json = r.json(PaperPlan.POISON, "results.json");
        if (json.isEmpty()) {
            return ClaimResult.notRun(id, figure, claim, r.whyMissing(PaperPlan.POISON), List.of(PaperPlan.POISON));
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String budget : budgets(json.get())) {
            SeedGroups g = poisonGroups(json.get(), budget);
            for (String opponent : List.of("one-step", "AID-CG(")) {
                compare(tally, "budget " + budget + ", accuracy drop", g, "AID-KFAC", opponent, "accuracyDrop", false, 1, "")
                        .ifPresent(c -> rows.add(c.row()));
            }
        }
        return result(id, figure, claim, tally, "drop of the retrained victim's test accuracy", rows,
                r.plots(PaperPlan.POISON, ".*\\.svg"), List.of(PaperPlan.POISON));
    }

    private static List<String> budgets(JsonNode json) {
        List<String> budgets = new ArrayList<>();
        json.path("runs").forEach(run -> {
            if (!budgets.contains(run.path("budget").asText())) {
                budgets.add(run.path("budget").asText());
            }
        });
        return budgets;
    }

    private static SeedGroups poisonGroups(JsonNode json, String budget) {
        List<JsonNode> runs = new ArrayList<>();
        json.path("runs").forEach(run -> {
            if (run.path("budget").asText().equals(budget)) {
                runs.add(run);
            }
        });
        return new SeedGroups(runs, run -> run.path("method").asText());
    }

    /** Every KFAC-vs-unrolling comparison the run has, pooled. */
    static ClaimResult unrolling(PaperResults r) {
        String id = "beats-unrolling";
        String figure = "Figures 2, 4, 5 and the task experiments";
        String claim = "KFAC-based hypergradients consistently outperform unrolling (one-step, full ITD, MAML) across "
                + "tasks.";
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        for (String stage : List.of(PaperPlan.FIGURE2, PaperPlan.FIGURE5)) {
            r.json(stage, "results.json").ifPresent(json -> {
                stages.add(stage);
                List<List<String>> figureRows = new ArrayList<>();
                tally.addAll(HypercleaningClaims.tally(new FigureSummary(json), List.of(
                        new HypercleaningClaims.Pair("AID-KFAC", "one-step"),
                        new HypercleaningClaims.Pair("AID-KFAC", "ITD")), figureRows));
                figureRows.forEach(row -> rows.add(List.of(stage + ": " + row.get(0) + ", lowest test loss", row.get(1),
                        row.get(2), row.get(3), row.get(4), row.get(5))));
            });
        }
        r.json(PaperPlan.TEXT, "results.json").ifPresent(json -> {
            stages.add(PaperPlan.TEXT);
            for (String k : layers(json)) {
                compare(tally, "text, k = " + k + ", test accuracy", textGroups(json, k), "AID-KFAC", "one-step",
                        "testAccuracy", false, 1, "").ifPresent(c -> rows.add(c.row()));
            }
        });
        r.json(PaperPlan.META, "results.json").ifPresent(json -> {
            stages.add(PaperPlan.META);
            boolean lower = !json.path("score").asText().contains("accuracy");
            compare(tally, "meta-learning, final score", new SeedGroups(json.path("runs"), run -> run.path("method")
                    .asText()), "iMAML-KFAC", "MAML", "finalScore", lower, 1, "").ifPresent(c -> rows.add(c.row()));
        });
        r.json(PaperPlan.POISON, "results.json").ifPresent(json -> {
            stages.add(PaperPlan.POISON);
            for (String budget : budgets(json)) {
                compare(tally, "poisoning, budget " + budget + ", accuracy drop", poisonGroups(json, budget), "AID-KFAC",
                        "one-step", "accuracyDrop", false, 1, "").ifPresent(c -> rows.add(c.row()));
            }
        });
        if (stages.isEmpty()) {
            return ClaimResult.notRun(id, figure, claim, "none of the stages with an unrolling baseline has results",
                    List.of(PaperPlan.FIGURE2, PaperPlan.FIGURE5, PaperPlan.TEXT, PaperPlan.META, PaperPlan.POISON));
        }
        return result(id, figure, claim, tally, "every KFAC-vs-unrolling comparison of this run", rows, List.of(), stages);
    }
}
