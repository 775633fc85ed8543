package dev.hyperkron.bench.paper;

import java.util.List;

/**
 * A claim of the paper and what this run says about it: the verdict with its reason, the
 * numbers it rests on (one table), the plots (paths relative to the paper's output folder) and
 * the stages whose commands made them.
 *
 * @param id      short id, e.g. "ihvp-tradeoff"
 * @param figure  where the paper makes the claim, e.g. "Figure 1 (top)"
 * @param claim   the claim in one sentence
 * @param verdict the verdict
 * @param reason  why, in a sentence or two, with the deciding numbers
 * @param header  the numbers table's column names
 * @param rows    its rows
 * @param figures plot files (SVG), relative to the output folder
 * @param stages  ids of the stages the evidence comes from
 */
public record ClaimResult(String id, String figure, String claim, Verdict verdict, String reason, List<String> header,
                          List<List<String>> rows, List<String> figures, List<String> stages) {

    public ClaimResult {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        figures = List.copyOf(figures);
        stages = List.copyOf(stages);
    }

    /** A claim whose experiment did not run (or failed), with the reason. */
    public static ClaimResult notRun(String id, String figure, String claim, String reason, List<String> stages) {
        return new ClaimResult(id, figure, claim, Verdict.NOT_RUN, reason, List.of(), List.of(), List.of(), stages);
    }
}
