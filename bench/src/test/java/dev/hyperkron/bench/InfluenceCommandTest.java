package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.experiments.text.TinyTrec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * influence on a small digits instance: every method is scored against leave-one-out retraining,
 * the exact inverse agrees with it on the convex (linear) model, every result file is written,
 * and bad options end with one line and exit code 2.
 */
class InfluenceCommandTest {

    @Test
    void scoresEveryMethodAgainstLeaveOneOutAndWritesItsResults(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of("influence", "--model", "linear", "--train-size", "80", "--val-size", "20", "--train-steps",
                "30", "--loo-size", "6", "--top", "2", "--threads", "1", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        for (String method : List.of("exact", "CG(100)", "KFAC", "EKFAC")) {
            assertTrue(o.out().contains(method + " "), method + " missing from:\n" + o.out());
        }
        assertTrue(o.out().contains("proponent") && o.out().contains("opponent"), o.out());
        List<String> results = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(5, results.size(), String.join("\n", results));
        String[] exact = results.get(1).split(",");
        assertEquals("exact", exact[0]);
        assertTrue(Double.parseDouble(exact[3]) > 0.95, "exact Pearson with leave-one-out: " + results.get(1));
        assertEquals(1 + 6, Files.readAllLines(dir.resolve("loo.csv")).size());
        assertEquals(1 + 80, Files.readAllLines(dir.resolve("scores.csv")).size());
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"leaveOneOut\""));
        for (String plot : List.of("loo-scatter.svg", "loo-scatter.png", "loo-correlation.svg", "loo-correlation.png")) {
            assertTrue(Files.size(dir.resolve(plot)) > 0, plot);
        }
    }

    @Test
    void theValidationLossIsAQueryToo(@TempDir Path dir) {
        CliRun o = CliRun.of("influence", "--model", "mlp", "--hidden", "4", "--query", "validation", "--method", "cg,ekfac",
                "--train-size", "60", "--val-size", "20", "--train-steps", "100", "--lr", "0.05", "--loo-size", "0",
                "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("validation loss (20 examples)"), o.out());
    }

    /** TREC-layout questions (a tiny generated set) are scored on their MiniLM sentence embeddings. */
    @Test
    void trecQuestionsAreScoredOnTheirSentenceEmbeddings(@TempDir Path dir) throws IOException {
        Path data = TinyTrec.write(Files.createDirectory(dir.resolve("trec")), 40, 10, 12);
        CliRun o = CliRun.of("influence", "--data", "trec:" + data, "--model", "linear", "--train-size", "40",
                "--val-size", "10", "--loo-size", "4", "--method", "exact,ekfac", "--test-index", "3",
                "--out", dir.resolve("out").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Influence on trec:"), o.out());
        assertTrue(o.out().contains("EKFAC "), o.out());
        assertEquals(1 + 40, Files.readAllLines(dir.resolve("out").resolve("scores.csv")).size());
    }

    @Test
    void badOptionsGiveOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"influence", "--method", "exact,magic"},
            {"influence", "--method", "cg,cg"},
            {"influence", "--model", "cnn"},
            {"influence", "--query", "training"},
            {"influence", "--loo-size", "2"},
            {"influence", "--weight-decay", "0"},
            {"influence", "--tolerance", "-1"},
            {"influence", "--train-size", "100", "--loo-size", "101"},
            {"influence", "--test-index", "100000", "--train-steps", "0", "--loo-size", "0"},
            {"influence", "--hidden", "3000", "--method", "exact", "--train-steps", "0", "--loo-size", "0"},
        };
        for (String[] args : bad) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), String.join(" ", args) + ": one line expected: " + o.err());
        }
    }
}
