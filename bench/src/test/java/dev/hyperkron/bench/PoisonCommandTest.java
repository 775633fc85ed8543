package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * poison on a small digits instance: every budget and method gets a row (and the unoptimized
 * flipped copies one), the defense is scored, every result file is written, and bad options end
 * with one line and exit code 2.
 */
class PoisonCommandTest {

    @Test
    void attacksEveryBudgetWithEveryMethodDefendsAndWritesItsResults(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of("poison", "--train-size", "120", "--val-size", "40", "--test-size", "60", "--budget", "0.05,0.1",
                "--method", "aid-kfac,one-step", "--steps", "3", "--inner-steps", "5", "--warmup-steps", "1", "--defend",
                "--defend-steps", "3", "--threads", "1", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        for (String method : List.of("AID-KFAC", "one-step", "flipped copies")) {
            assertTrue(o.out().contains(method), method + " missing from:\n" + o.out());
        }
        assertTrue(o.out().contains("defense F1"), o.out());
        List<String> results = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(1 + 2 * 3, results.size(), String.join("\n", results));
        String[] kfac = results.get(2).split(",");
        assertEquals("0.05", kfac[1]);
        assertEquals("6", kfac[2], "5% of 120 training examples");
        assertEquals("3", kfac[4], "outer steps");
        assertTrue(Double.parseDouble(kfac[16]) >= 0, "defense F1: " + results.get(2));
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"accuracyDrop\""));
        for (String plot : List.of("accuracy-drop-vs-budget.svg", "accuracy-drop-vs-budget.png")) {
            assertTrue(Files.size(dir.resolve(plot)) > 0, plot);
        }
    }

    /** Mini-batches of clean examples (the poison is in every training batch) for the attack and the defense. */
    @Test
    void attacksAndDefendsWithMiniBatches(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of("poison", "--train-size", "120", "--val-size", "40", "--test-size", "60", "--budget", "0.05",
                "--method", "aid-kfac", "--batch-size", "32", "--steps", "3", "--inner-steps", "3", "--warmup-steps", "0",
                "--defend", "--defend-steps", "2", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(1 + 2, Files.readAllLines(dir.resolve("results.csv")).size());
    }

    @Test
    void badOptionsGiveOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"poison", "--budget", "0"},
            {"poison", "--budget", "1.5"},
            {"poison", "--budget", "0.1,0.1"},
            {"poison", "--method", "aid-kfac,magic"},
            {"poison", "--method", "aid-cg,aid-cg"},
            {"poison", "--model", "cnn"},
            {"poison", "--epsilon", "0"},
            {"poison", "--steps", "0"},
            {"poison", "--steps", "3", "--seconds", "2"},
            {"poison", "--seeds", "0"},
            {"poison", "--batch-size", "-1"},
            {"poison", "--data", "nowhere"},
        };
        for (String[] args : bad) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), String.join(" ", args) + ": one line expected: " + o.err());
        }
    }
}
