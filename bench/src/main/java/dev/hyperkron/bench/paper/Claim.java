package dev.hyperkron.bench.paper;

import java.util.List;

/**
 * A claim of the paper as the report states it: a short id (the report's anchor), where the paper
 * makes it, and the claim in one sentence; it makes the {@link ClaimResult}s that judge it.
 *
 * @param id     short id, e.g. "ihvp-tradeoff"
 * @param figure where the paper makes the claim, e.g. "Figure 1 (top)"
 * @param text   the claim in one sentence
 */
record Claim(String id, String figure, String text) {

    /** The claim judged with the given evidence. */
    ClaimResult judged(Verdict verdict, String reason, List<String> header, List<List<String>> rows, List<String> plots,
                       List<String> stages) {
        return new ClaimResult(id, figure, text, verdict, reason, header, rows, plots, stages);
    }

    /** The claim without evidence: its stage did not run here, or failed (the results say which). */
    ClaimResult notRun(PaperResults results, String stage) {
        return notRun(results.whyMissing(stage), List.of(stage));
    }

    /** The claim without evidence, for the given reason. */
    ClaimResult notRun(String reason, List<String> stages) {
        return ClaimResult.notRun(id, figure, text, reason, stages);
    }
}
