package dev.hyperkron.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-bilevel times every requested method per thread count, reports the target ratios and writes CSV and JSON. */
class BenchBilevelCommandTest {

    @Test
    void timesEachMethodAtEachThreadCountAndWritesItsResults(@TempDir Path dir) throws IOException {
        CliRun o = CliRun.of("bench-bilevel", "--data", "digits", "--method", "aid-kfac-mc,aid-cg,one-step", "--threads", "1,2",
                "--hidden", "16", "--batch-size", "32", "--train-size", "256", "--val-size", "64", "--inner-steps", "2",
                "--warmup", "0", "--steps", "2", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("MLP 64-16-10 (ReLU), F32 on cpu") && o.out().contains("AID-KFAC-MC") && o.out().contains("AID-CG(10)"),
                o.out());
        assertTrue(o.out().contains("AID-KFAC-MC hypergradient / AID-CG(10) hypergradient")
                && o.out().contains("AID-KFAC-MC hypergradient / one-step hypergradient"), o.out());
        List<String> csv = Files.readAllLines(dir.resolve("bench-bilevel.csv"));
        assertEquals(1 + 3 * 2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("AID-KFAC-MC,aid-kfac-mc,1,2,"), csv.get(1));
        assertTrue(Files.readString(dir.resolve("bench-bilevel.json")).contains("\"hypergradientSeconds\""));
    }

    @Test
    void aDeviceWhoseModuleIsAbsentIsRefusedWithTheModuleToAdd() {
        CliRun o = CliRun.of("bench-bilevel", "--device", "cuda:0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--device: device 'cuda:0' is unavailable: its module (hyperkron-gpu"), o.err());
    }

    @Test
    void unknownMethodsAndDataSetsAreUserErrors() {
        for (String[] args : new String[][] {{"bench-bilevel", "--method", "aid-magic"}, {"bench-bilevel", "--data", "cifar"},
                {"bench-bilevel", "--threads", "0"}, {"bench-bilevel", "--steps", "0"}, {"bench-bilevel", "--device", "tpu"},
                {"bench-bilevel", "--device", "cuda"}}) {
            CliRun o = CliRun.of(args);
            assertEquals(2, o.code(), String.join(" ", args) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
        }
    }
}
