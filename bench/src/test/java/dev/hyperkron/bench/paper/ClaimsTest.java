package dev.hyperkron.bench.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules that turn a run's results into verdicts, on hand-written results with known answers. */
class ClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> row(String method, double loss, double sd) {
        return Map.of("case", "mlp on digits", "method", method, "minTestLoss", Map.of("mean", loss, "sd", sd),
                "secondsToMin", Map.of("mean", 1.0, "sd", 0.0));
    }

    private static PaperResults results(Path out, String stage, String file, Object json) throws IOException {
        Files.createDirectories(out.resolve(stage));
        JSON.writeValue(out.resolve(stage).resolve(file).toFile(), json);
        return new PaperResults(out, Map.of(stage, new StageRecord(stage, List.of(), 0, 1, "now")), Map.of());
    }

    private static ClaimResult claim(List<ClaimResult> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aWinAndALossArePartlyAndADifferenceWithinTheSpreadIsATie(@TempDir Path out) throws IOException {
        PaperResults r = results(out, PaperPlan.FIGURE2, "results.json", Map.of("summary", List.of(
                row("AID-KFAC", 0.60, 0.01), row("AID-CG(10)", 0.70, 0.02), row("AID-Neumann(10)", 0.50, 0.01),
                row("SOBA", 0.80, 0.05), row("SOBA+KFAC", 0.78, 0.05), row("AmIGO", 0.9, 0), row("AmIGO+KFAC", 0.7, 0))));
        List<ClaimResult> claims = Claims.evaluate(r);
        ClaimResult ihvp = claim(claims, "hypercleaning-ihvp");
        assertEquals(Verdict.PARTLY, ihvp.verdict(), ihvp.reason());
        assertEquals(List.of("win", "loss"), ihvp.rows().stream().map(row -> row.get(5)).toList());
        ClaimResult algorithms = claim(claims, "kfac-in-algorithms");
        assertEquals(List.of("tie", "win"), algorithms.rows().stream().map(row -> row.get(5)).toList());
        assertEquals(Verdict.PARTLY, algorithms.verdict());
        assertEquals(Verdict.NOT_RUN, claim(claims, "hypercleaning-baselines").verdict(), "no BOME/F2SA/SAMA rows");
        assertEquals(Verdict.NOT_RUN, claim(claims, "meta-learning").verdict());
        assertTrue(claim(claims, "meta-learning").reason().contains("was not run"));
    }

    @Test
    void everyComparisonWonIsReproducedAndNoneWonIsNot(@TempDir Path out) throws IOException {
        PaperResults r = results(out, PaperPlan.POISON, "results.json", Map.of("runs", List.of(
                Map.of("budget", 0.1, "method", "AID-KFAC", "seed", 1, "accuracyDrop", 0.20),
                Map.of("budget", 0.1, "method", "AID-CG(10)", "seed", 1, "accuracyDrop", 0.10),
                Map.of("budget", 0.1, "method", "one-step", "seed", 1, "accuracyDrop", 0.05))));
        List<ClaimResult> claims = Claims.evaluate(r);
        assertEquals(Verdict.REPRODUCED, claim(claims, "poisoning").verdict());
        assertEquals(Verdict.REPRODUCED, claim(claims, "beats-unrolling").verdict(), "one-step's smaller drop loses");

        PaperResults worse = results(out.resolve("b"), PaperPlan.META, "results.json", Map.of(
                "score", "meta-test accuracy", "runs", List.of(
                        Map.of("method", "iMAML-KFAC", "seed", 1, "finalScore", 0.5),
                        Map.of("method", "iMAML-CG(5)", "seed", 1, "finalScore", 0.6),
                        Map.of("method", "MAML", "seed", 1, "finalScore", 0.7))));
        assertEquals(Verdict.NOT_REPRODUCED, claim(Claims.evaluate(worse), "meta-learning").verdict());
    }

    @Test
    void kfacMustBeatTheBestAnswerTheOthersGiveInNoMoreTime(@TempDir Path out) throws IOException {
        Map<String, Object> kfac = point(IhvpClaims.KFAC, 0, 0.010, 0.9, 0.95);
        Map<String, Object> fastCg = point("CG", 1, 0.005, 0.5, 0.6);
        Map<String, Object> slowCg = point("CG", 10, 0.050, 0.99, 0.99);
        Map<String, Object> neumann = point("Neumann", 5, 0.009, 0.95, 0.9);
        PaperResults r = results(out, PaperPlan.FIGURE1_TOP, "tradeoff.json", Map.of("models", List.of(Map.of(
                "model", "mlp(32)", "points", List.of(kfac, fastCg, slowCg, neumann), "hypergradients", List.of()))));
        ClaimResult ihvp = claim(Claims.evaluate(r), "ihvp-tradeoff");
        assertEquals(List.of("win", "loss", "win", "win"), ihvp.rows().stream().map(row -> row.get(5)).toList(),
                "CG's slow iterate does not count; Neumann is better on the Hessian, worse on the GGN");
        assertEquals(Verdict.PARTLY, ihvp.verdict(), ihvp.reason());
        assertEquals(Verdict.NOT_RUN, claim(Claims.evaluate(r), "hypergradient-accuracy").verdict());
    }

    private static Map<String, Object> point(String method, int budget, double seconds, double cosine, double ggn) {
        return Map.of("method", method, "budget", budget, "minSeconds", seconds, "cosine", cosine, "ggnCosine", ggn);
    }

    @Test
    void tallyCountsNanAsALossForTheSideThatHasIt() {
        Tally t = new Tally();
        assertEquals(Tally.Outcome.LOSS, t.compare(Double.NaN, 0, 1, 0, true));
        assertEquals(Tally.Outcome.WIN, t.compare(1, 0, Double.NaN, 0, true));
        assertEquals(Tally.Outcome.TIE, t.compare(1.0, 0.2, 1.1, 0.0, true));
        assertEquals(Tally.Outcome.WIN, t.compare(2.0, 0, 1.0, 0, false));
        assertEquals(Tally.Outcome.TIE, t.compare(2.295, 0, 2.299, 0, true), "under 1% apart");
        assertEquals("2 wins, 2 ties, 1 loss", t.summary());
        assertEquals(Verdict.PARTLY, Verdict.of(t));
        assertEquals(Verdict.NOT_RUN, Verdict.of(new Tally()));
    }
}
