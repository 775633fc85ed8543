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

    private static ClaimResult result(Claim claim, Tally tally, String what, List<List<String>> rows, List<String> plots,
                                      List<String> stages) {
        String reason = tally.total() == 0 ? "none of the compared methods ran" : what + ": " + tally.summary() + ".";
        return claim.judged(Verdict.of(tally), reason, HEADER, rows, plots, stages);
    }

    /** The runs whose {@code field} is {@code value}, grouped by method. */
    private static SeedGroups byMethodWhere(JsonNode runs, String field, String value) {
        List<JsonNode> matching = new ArrayList<>();
        runs.forEach(run -> {
            if (run.path(field).asText().equals(value)) {
                matching.add(run);
            }
        });
        return new SeedGroups(matching, run -> run.path("method").asText());
    }

    /** The values a field takes over the runs, in first-seen order. */
    private static List<String> distinct(JsonNode runs, String field) {
        List<String> values = new ArrayList<>();
        runs.forEach(run -> {
            if (!values.contains(run.path(field).asText())) {
                values.add(run.path(field).asText());
            }
        });
        return values;
    }

    private static final Claim MEMORY = new Claim("modest-overhead", "Figure 1 (bottom)", "At BERT scale KFAC's "
            + "hypergradient needs only modest memory and time: less memory than unrolling and less time than CG.");
    private static final Claim TEXT = new Claim("bert-text", "Figure 4", "Curvature is valuable at scale: on text "
            + "hypercleaning with a BERT encoder, AID-KFAC reaches a higher test accuracy than one-step unrolling and than "
            + "uniform weights.");
    private static final Claim META = new Claim("meta-learning", "Meta-learning experiments", "In meta-learning, "
            + "implicit MAML with the KFAC IHVP matches or beats iMAML with CG and the unrolled MAML.");
    private static final Claim POISON = new Claim("poisoning", "AI-safety experiments (data poisoning)", "As a "
            + "data-poisoning attacker, AID-KFAC's poison hurts the retrained victim more than one-step unrolling's and "
            + "than AID-CG's at the same cost.");
    private static final Claim UNROLLING = new Claim("beats-unrolling", "Figures 2, 4, 5 and the task experiments",
            "KFAC-based hypergradients consistently outperform unrolling (one-step, full ITD, MAML) across tasks.");

    static ClaimResult textMemory(PaperResults r) {
        Optional<JsonNode> json = r.json(PaperPlan.TEXT, "results.json");
        if (json.isEmpty()) {
            return MEMORY.notRun(r, PaperPlan.TEXT);
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String k : distinct(json.get(), "layers")) {
            SeedGroups g = byMethodWhere(json.get(), "layers", k);
            compare(tally, "k = " + k + ", memory held", g, "AID-KFAC", "one-step", "heldBytes", true, 1e-6, " MB")
                    .ifPresent(c -> rows.add(c.row()));
            compare(tally, "k = " + k + ", hypergradient time", g, "AID-KFAC", "AID-CG(", "meanHypergradientSeconds", true,
                    1e3, " ms").ifPresent(c -> rows.add(c.row()));
        }
        return result(MEMORY, tally, "memory held by the hypergradient and its time, per number k of trained layers",
                rows, r.plots(PaperPlan.TEXT, "memory\\.svg"), List.of(PaperPlan.TEXT));
    }

    static ClaimResult textAccuracy(PaperResults r) {
        Optional<JsonNode> json = r.json(PaperPlan.TEXT, "results.json");
        if (json.isEmpty()) {
            return TEXT.notRun(r, PaperPlan.TEXT);
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String k : distinct(json.get(), "layers")) {
            SeedGroups g = byMethodWhere(json.get(), "layers", k);
            for (String opponent : List.of("one-step", BASELINE)) {
                compare(tally, "k = " + k + ", test accuracy", g, "AID-KFAC", opponent, "testAccuracy", false, 1, "")
                        .ifPresent(c -> rows.add(c.row()));
            }
        }
        return result(TEXT, tally, "test accuracy at the end of the same budget", rows,
                r.plots(PaperPlan.TEXT, "accuracy-vs-time-.*"), List.of(PaperPlan.TEXT));
    }

    static ClaimResult meta(PaperResults r) {
        Optional<JsonNode> json = r.json(PaperPlan.META, "results.json");
        if (json.isEmpty()) {
            return META.notRun(r, PaperPlan.META);
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
        return result(META, tally, json.get().path("description").asText("meta-learning") + ", " + score
                + " at the end of the same budget", rows, r.plots(PaperPlan.META, ".*\\.svg"), List.of(PaperPlan.META));
    }

    static ClaimResult poison(PaperResults r) {
        Optional<JsonNode> json = r.json(PaperPlan.POISON, "results.json");
        if (json.isEmpty()) {
            return POISON.notRun(r, PaperPlan.POISON);
        }
        Tally tally = new Tally();
        List<List<String>> rows = new ArrayList<>();
        for (String budget : distinct(json.get().path("runs"), "budget")) {
            SeedGroups g = byMethodWhere(json.get().path("runs"), "budget", budget);
            for (String opponent : List.of("one-step", "AID-CG(")) {
                compare(tally, "budget " + budget + ", accuracy drop", g, "AID-KFAC", opponent, "accuracyDrop", false, 1, "")
                        .ifPresent(c -> rows.add(c.row()));
            }
        }
        return result(POISON, tally, "drop of the retrained victim's test accuracy", rows,
                r.plots(PaperPlan.POISON, ".*\\.svg"), List.of(PaperPlan.POISON));
    }

    /** Every KFAC-vs-unrolling comparison the run has, pooled. */
    static ClaimResult unrolling(PaperResults r) {
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
            for (String k : distinct(json, "layers")) {
                compare(tally, "text, k = " + k + ", test accuracy", byMethodWhere(json, "layers", k), "AID-KFAC", "one-step",
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
            for (String budget : distinct(json.path("runs"), "budget")) {
                compare(tally, "poisoning, budget " + budget + ", accuracy drop",
                        byMethodWhere(json.path("runs"), "budget", budget), "AID-KFAC", "one-step", "accuracyDrop", false, 1,
                        "").ifPresent(c -> rows.add(c.row()));
            }
        });
        if (stages.isEmpty()) {
            return UNROLLING.notRun("none of the stages with an unrolling baseline has results",
                    List.of(PaperPlan.FIGURE2, PaperPlan.FIGURE5, PaperPlan.TEXT, PaperPlan.META, PaperPlan.POISON));
        }
        return result(UNROLLING, tally, "every KFAC-vs-unrolling comparison of this run", rows, List.of(), stages);
    }
}
