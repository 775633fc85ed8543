package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.experiments.text.TinyTrec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** text-clean on a tiny TREC-shaped data set, and its one-line errors. */
class TextCleanCommandTest {

    @Test
    void runsEveryKindOfContenderForTwoLayerCountsAndWritesTheTableFilesAndPlots(@TempDir Path dir) throws IOException {
        Path data = TinyTrec.write(Files.createDirectory(dir.resolve("trec")), 24, 12, 12);
        Path out = dir.resolve("out");
        CliRun o = CliRun.of("text-clean", "--data", data.toString(), "--layers", "0,1", "--method",
                "aid-kfac,aid-cg,one-step,sama,baseline,valid-only,valid+noisy", "--steps", "2",
                "--inner-steps", "1", "--batch-size", "8", "--iterations", "2", "--eval-every", "1",
                "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        for (String expected : new String[] {"frozen bottom", "test acc", "clean F1", "held MB", "AID-KFAC", "AID-CG(2)",
            "one-step", "SAMA", "baseline (uniform weights)", "valid-only", "valid+noisy"}) {
            assertTrue(o.out().contains(expected), expected + " missing from: " + o.out());
        }
        for (String file : new String[] {"results.csv", "results.json", "history.csv", "accuracy-vs-time-k0.svg",
            "accuracy-vs-time-k0.png", "accuracy-vs-time-k1.svg", "accuracy-vs-time-k1.png", "memory.svg", "memory.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " is empty");
        }
        assertEquals(1 + 2 * 7, Files.readAllLines(out.resolve("results.csv")).size(), "a row per k and contender");
    }

    @Test
    void resumeReadsFinishedRunsBackWithTheirPeakMemoryAndRefusesOtherSettings(@TempDir Path dir) throws IOException {
        Path data = TinyTrec.write(Files.createDirectory(dir.resolve("trec")), 24, 12, 12);
        Path out = dir.resolve("out");
        String[] args = {"text-clean", "--data", data.toString(), "--layers", "0", "--method", "aid-kfac,soba",
            "--steps", "3", "--inner-steps", "1", "--batch-size", "8", "--eval-every", "1", "--out", out.toString()};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.code(), first.err());
        String before = withoutTimes(Files.readString(out.resolve("results.csv")));
        CliRun again = CliRun.of(concat(args, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertEquals(before, withoutTimes(Files.readString(out.resolve("results.csv"))),
                "the finished runs, held bytes included, come back as they were");
        CliRun other = CliRun.of(concat(args, "--resume", "--inner-lr", "0.5"));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("cannot resume from") && other.err().contains("--inner-lr"), other.err());
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    /** results.csv without its wall-clock columns (seconds and milliseconds differ between runs). */
    private static String withoutTimes(String csv) {
        java.util.List<String> header = java.util.List.of(csv.lines().findFirst().orElseThrow().split(",", -1));
        StringBuilder b = new StringBuilder();
        csv.lines().forEach(line -> {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                if (!header.get(i).toLowerCase(java.util.Locale.ROOT).contains("second")) {
                    b.append(cells[i]).append(',');
                }
            }
            b.append('\n');
        });
        return b.toString();
    }

    @Test
    void aMissingDataFolderNamesItAndTheFilesItNeeds() {
        CliRun o = CliRun.of("text-clean", "--data", "/no/such/trec", "--steps", "1");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        for (String expected : new String[] {"/no/such/trec", "train.json", "valid.json", "test.json", "hard_labels.npy"}) {
            assertTrue(o.err().contains(expected), expected + " missing from: " + o.err());
        }
    }

    @Test
    void moreLayersThanTheEncoderHasAreRefusedBeforeAnyFrozenPass(@TempDir Path dir) throws IOException {
        Path data = TinyTrec.write(dir, 6, 3, 3);
        CliRun o = CliRun.of("text-clean", "--data", data.toString(), "--layers", "1,7", "--steps", "1");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--layers must be between 0 and 6") && !o.out().contains("frozen bottom"),
                o.out() + o.err());
    }

    @Test
    void badArgumentsGiveOneLineAndExitCodeTwo(@TempDir Path dir) {
        String[][] bad = {
            {"text-clean", "--method", "itd"},
            {"text-clean", "--method", "aid-kfac,aid-kfac"},
            {"text-clean", "--batch-size", "0"},
            {"text-clean", "--steps", "1", "--seconds", "1"},
            {"text-clean", "--max-length", "2"},
            {"text-clean", "--checkpoint", dir.resolve("model.onnx").toString()},
            {"text-clean", "--pooling", "max"},
        };
        for (String[] args : bad) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
        }
    }
}
