package dev.hyperkron.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claims of the data-hypercleaning figures (2, 3 and 5), each decided head to head on the
 * lowest test loss a method reached within the same wall-clock budget (mean over seeds; a
 * difference within the spread over seeds is a tie).
 */
final class HypercleaningClaims {
    /** Paper's method and its opponent in one comparison, by method-name prefix ("AID-CG(" for any T). */
    record Pair(String ours, String theirs) {
    }

    private HypercleaningClaims() {
    }

    static List<ClaimResult> all(PaperResults r) {
        return List.of(
                pairwise(r, PaperPlan.FIGURE1_DOWNSTREAM, "ihvp-downstream", "Figure 1 (downstream)",
                        "With each IHVP solver inside AID at the same wall-clock budget, KFAC's gives data hypercleaning "
                                + "the lowest test loss: lower than CG, PCG, MINRES, Neumann, EKFAC and the identity.",
                        List.of(new Pair("AID-KFAC", "AID-CG("), new Pair("AID-KFAC", "AID-PCG("),
                                new Pair("AID-KFAC", "AID-MINRES("), new Pair("AID-KFAC", "AID-Neumann("),
                                new Pair("AID-KFAC", "AID-EKFAC"), new Pair("AID-KFAC", "AID-identity")),
                        ".*-other-vs-time\\.svg"),
                pairwise(r, PaperPlan.FIGURE2, "hypercleaning-ihvp", "Figure 2 (left)",
                        "On data hypercleaning, AID with the KFAC IHVP reaches a lower test loss within the same time "
                                + "than AID with CG or a Neumann series (stocBiO).",
                        List.of(new Pair("AID-KFAC", "AID-CG("), new Pair("AID-KFAC", "AID-Neumann(")),
                        ".*-ift-vs-(time|steps)\\.svg"),
                pairwise(r, PaperPlan.FIGURE2, "kfac-in-algorithms", "Figure 2 (left)",
                        "KFAC improves the other IFT-based algorithms too: SOBA and AmIGO with KFAC-preconditioned "
                                + "tracking reach a lower test loss than with their own updates.",
                        List.of(new Pair("SOBA+KFAC", "SOBA"), new Pair("AmIGO+KFAC", "AmIGO")),
                        ".*-ift-vs-time\\.svg"),
                pairwise(r, PaperPlan.FIGURE2, "hypercleaning-baselines", "Figure 2 (right)",
                        "AID-KFAC outperforms the first-order and penalty-based bilevel algorithms (BOME, F2SA, SAMA) "
                                + "on data hypercleaning.",
                        List.of(new Pair("AID-KFAC", "BOME"), new Pair("AID-KFAC", "F2SA"), new Pair("AID-KFAC", "SAMA")),
                        ".*-baselines-vs-time\\.svg"),
                pairwise(r, PaperPlan.FIGURE3, "batch-sizes", "Figure 3",
                        "The advantage of AID-KFAC over AID-CG holds across batch sizes and model types (linear, MLP, "
                                + "CNN).",
                        List.of(new Pair("AID-KFAC", "AID-CG(")), ".*-min-loss-vs-batch\\.svg"),
                pairwise(r, PaperPlan.FIGURE5, "other-models", "Figure 5",
                        "AID-KFAC also beats AID-CG and AID-Neumann with a CNN and with a linear model.",
                        List.of(new Pair("AID-KFAC", "AID-CG("), new Pair("AID-KFAC", "AID-Neumann(")),
                        ".*-vs-time\\.svg"));
    }

    /**
     * Compares pairs of methods in every case of a figure stage on the lowest test loss; the
     * tally decides the verdict.
     */
    static ClaimResult pairwise(PaperResults r, String stage, String id, String figure, String text, List<Pair> pairs,
                                String plots) {
        Claim claim = new Claim(id, figure, text);
        Optional<JsonNode> json = r.json(stage, "results.json");
        if (json.isEmpty()) {
            return claim.notRun(r, stage);
        }
        FigureSummary summary = new FigureSummary(json.get());
        List<List<String>> rows = new ArrayList<>();
        Tally tally = tally(summary, pairs, rows);
        String reason = tally.total() == 0 ? "none of the compared methods ran in this stage"
                : "lowest test loss within the budget: " + tally.summary() + " for " + pairs.get(0).ours()
                        + (pairs.stream().map(Pair::ours).distinct().count() > 1 ? " and the KFAC variants" : "")
                        + " over " + rows.size() + " comparison" + (rows.size() == 1 ? "" : "s") + ".";
        return claim.judged(Verdict.of(tally), reason, List.of("case", "KFAC-based", "lowest test loss (s to it)",
                "opponent", "lowest test loss (s to it)", "outcome"), rows, r.plots(stage, plots), List.of(stage));
    }

    /** The comparisons of every pair present in every case; their rows are added to {@code rows}. */
    static Tally tally(FigureSummary summary, List<Pair> pairs, List<List<String>> rows) {
        Tally tally = new Tally();
        for (String c : summary.cases()) {
            for (Pair p : pairs) {
                Optional<FigureSummary.Row> ours = summary.row(c, p.ours());
                Optional<FigureSummary.Row> theirs = summary.row(c, p.theirs());
                if (ours.isEmpty() || theirs.isEmpty()) {
                    continue;
                }
                FigureSummary.Stat a = ours.get().minTestLoss();
                FigureSummary.Stat b = theirs.get().minTestLoss();
                Tally.Outcome o = tally.compare(a.mean(), a.sd(), b.mean(), b.sd(), true);
                rows.add(List.of(c, name(p.ours()), cell(ours.get()), name(p.theirs()), cell(theirs.get()), o.label()));
            }
        }
        return tally;
    }

    private static String name(String prefix) {
        return prefix.endsWith("(") ? prefix + "T)" : prefix;
    }

    private static String cell(FigureSummary.Row row) {
        return row.minTestLoss().format() + String.format(java.util.Locale.ROOT, " (%.1f s)", row.secondsToMin().mean());
    }
}
