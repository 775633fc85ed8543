package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figure commands on a few steps of a small digits problem: tables, files, plots, resume, bad options. */
class FigureCommandsTest {
    private static final String[] SMALL = {"--train-size", "200", "--val-size", "100", "--test-size", "200",
        "--steps", "4", "--eval-every", "2", "--warmup-steps", "0"};
    private static final String[] DIGITS_MLP = {"--data", "digits", "--hidden", "16"};
    private static final String[] DIGITS_ONLY = {"--cnn-data", "digits", "--linear-data", "digits"};

    private static String[] args(String command, Path out, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(command));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(command.equals("figure5") ? DIGITS_ONLY : DIGITS_MLP));
        all.addAll(List.of("--out", out.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void figure2RunsBothPanelsWithReferencesAndWritesEveryFile(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of(args("figure2", dir, "--method", "aid-kfac,aid-cg,bome,valid-only", "--seeds", "2"));
        assertEquals(0, o.code(), o.err());
        for (String row : List.of("AID-KFAC", "AID-CG(10)", "BOME", "valid-only")) {
            assertTrue(o.out().contains(row), o.out());
        }
        assertTrue(o.out().contains("mean ± standard deviation over 2 seeds"), o.out());
        for (String f : List.of("results.csv", "results.json", "history.csv",
                "figure2-mlp_16_on_digits-ift-vs-time.png", "figure2-mlp_16_on_digits-ift-vs-steps.svg",
                "figure2-mlp_16_on_digits-baselines-vs-time.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(8, json.get("runs").size());
        assertEquals(4, json.get("summary").size());
        assertEquals(2, json.get("summary").get(0).get("seeds").asInt());
        assertEquals(4, json.get("runs").get(0).get("steps").asInt());
    }

    /** A second run with --resume reads every finished run back from its checkpoint instead of running it again. */
    @Test
    void aResumedFigureReadsFinishedRunsBack(@TempDir Path dir) throws IOException {
        CliRun first = CliRun.of(args("figure5", dir, "--method", "aid-kfac,valid+noisy"));
        assertEquals(0, first.code(), first.err());
        String before = Files.readString(dir.resolve("results.csv"));
        CliRun again = CliRun.of(args("figure5", dir, "--method", "aid-kfac,valid+noisy", "--resume"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("already"), again.err());
        assertEquals(strippedOfTimes(before), strippedOfTimes(Files.readString(dir.resolve("results.csv"))));
        assertTrue(Files.exists(dir.resolve("figure5-cnn_on_digits-vs-time.png")));
        assertTrue(Files.exists(dir.resolve("figure5-linear_on_digits-vs-steps.svg")));
    }

    /** The wall-clock column differs between the first run and the read-back; every other column must not. */
    private static List<String> strippedOfTimes(String csv) {
        return csv.lines().map(line -> {
            String[] cells = line.split(",", -1);
            cells[6] = "";
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void figure3RunsEveryModelAndBatchSizeAndPlotsEachModel(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of(args("figure3", dir, "--models", "linear,mlp", "--batch-sizes", "16,64"));
        assertEquals(0, o.code(), o.err());
        for (String row : List.of("linear, batch 16", "linear, batch 64", "mlp(16), batch 16", "mlp(16), batch 64")) {
            assertTrue(o.out().contains(row), o.out());
        }
        assertTrue(Files.size(dir.resolve("figure3-linear-min-loss-vs-batch.png")) > 0);
        assertTrue(Files.size(dir.resolve("figure3-mlp_16-time-to-min-vs-batch.svg")) > 0);
        assertEquals(1 + 8, Files.readAllLines(dir.resolve("results.csv")).size());
    }

    @Test
    void badArgumentsGiveOneLineAndExitCodeTwo(@TempDir Path dir) {
        for (String[] bad : List.of(new String[] {"figure2", "--seeds", "0"}, new String[] {"figure2", "--method", "cg"},
                new String[] {"figure3", "--models", "resnet"}, new String[] {"figure3", "--batch-sizes", "0"},
                new String[] {"figure5", "--noise", "1.5"}, new String[] {"figure2", "--method", "aid-kfac,aid-kfac"})) {
            CliRun o = CliRun.of(bad);
            assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
        }
    }
}
