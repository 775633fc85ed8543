package dev.hyperkron.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison table stars a run whose IHVP solver fell back, and a footnote says how often. */
class ComparisonReportTest {

    private static HistoryEntry step(int k, String fallback) {
        return new HistoryEntry(k, k, 1, 1, 0.1, 0.1, 0.5, fallback, k == 3 ? Map.of("testLoss", 0.2) : Map.of());
    }

    private static RunRecord run(String method, String... fallbacks) {
        List<HistoryEntry> history = List.of(step(1, fallbacks[0]), step(2, fallbacks[1]), step(3, fallbacks[2]));
        return new RunRecord("mlp(64)", method, new TrainingResult(TrainingResult.Status.COMPLETED, "done", Params.empty(),
                Params.empty(), history, List.of()));
    }

    @Test
    void aRunWhoseSolverFellBackIsStarredAndFootnoted() {
        ComparisonReport report = new ComparisonReport(List.of(run("AID-KFAC", "", "", ""),
                run("AID-CG(10)", "MINRES", "", "MINRES")));
        String table = report.table().toString();
        assertTrue(table.contains("AID-CG(10)*") && !table.contains("AID-KFAC*"), table);
        assertEquals(List.of("* mlp(64) AID-CG(10): CG broke down (negative curvature, or a residual above ||v||) in 2 of 3 "
                + "outer steps and fell back to MINRES"), report.footnotes());
    }

    @Test
    void aDivergedRunIsMarkedAndItsMissingMetricsAreEmptyNotNaN(@TempDir Path dir) throws Exception {
        HistoryEntry only = new HistoryEntry(1, 1, 1, 1, 0.1, 0.1, 0.5, "", Map.of());
        RunRecord diverged = new RunRecord("linear", "AID-CG(10)", new TrainingResult(TrainingResult.Status.DIVERGED,
                "outer step 2 with AID-CG(10): the hypergradient norm is Infinity", Params.empty(), Params.empty(), List.of(only),
                List.of()));
        ComparisonReport report = new ComparisonReport(List.of(run("AID-KFAC", "", "", ""), diverged));
        assertTrue(report.table().toString().contains("AID-CG(10) (diverged)"), report.table().toString());
        report.write(dir);
        for (String file : new String[] {"results.csv", "results.json", "history.csv"}) {
            assertFalse(Files.readString(dir.resolve(file)).contains("NaN"), file + ": " + Files.readString(dir.resolve(file)));
        }
        assertTrue(Files.readString(dir.resolve("results.csv")).contains("linear,AID-CG(10),DIVERGED,1,"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals("DIVERGED", json.get(1).get("status").asText());
        assertEquals(0, json.get(1).get("finalMetrics").size());
    }

    @Test
    void theWallClockTimeOfTheRunsIsReportedBesideTheBudgetsClock(@TempDir Path dir) throws Exception {
        RunRecord measured = new RunRecord("mlp(64)", "AID-KFAC", run("AID-KFAC", "", "", "").result(), 10.0);
        ComparisonReport report = new ComparisonReport(List.of(measured));
        assertEquals(java.util.Optional.of("time s counts the outer steps only: the runs took 10.0 s of wall-clock time, "
                + "7.0 s of it evaluating test metrics and writing checkpoints (wallSeconds in results.csv)"),
                report.wallClockNote());
        report.write(dir);
        assertTrue(Files.readString(dir.resolve("results.csv")).contains("mlp(64),AID-KFAC,COMPLETED,3,3.0,10.0,"));
        assertTrue(new ComparisonReport(List.of(run("AID-KFAC", "", "", ""))).wallClockNote().isEmpty());
    }
}
