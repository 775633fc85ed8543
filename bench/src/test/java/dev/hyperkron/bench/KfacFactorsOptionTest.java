package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kfac-factors inner}: AID-KFAC/EKFAC with factors from the inner steps, and its refusals. */
class KfacFactorsOptionTest {

    @Test
    void innerFactorsRunAidKfacAndAidEkfacAndComposeWithCurvatureRefresh(@TempDir Path dir) {
        CliRun o = CliRun.of("hyperclean", "--model", "mlp", "--hidden", "8", "--method", "aid-kfac,aid-ekfac",
                "--kfac-factors", "inner", "--curvature-refresh", "2", "--steps", "3", "--train-size", "200",
                "--val-size", "100", "--test-size", "100", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("AID-KFAC-inner/2") && o.out().contains("AID-EKFAC-inner/2"), o.out());
    }

    @Test
    void benchBilevelTimesFreshAndInnerFactorsInTheSameRounds(@TempDir Path dir) {
        CliRun o = CliRun.of("bench-bilevel", "--data", "digits", "--method", "aid-kfac,aid-kfac-inner,aid-ekfac-inner",
                "--threads", "1", "--hidden", "8", "--train-size", "128", "--val-size", "64", "--warmup", "0", "--steps",
                "2", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("AID-KFAC-inner") && o.out().contains("AID-EKFAC-inner"), o.out());
    }

    @Test
    void badUsesEndWithOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"hyperclean", "--kfac-factors", "stale", "--steps", "1"},
            {"hyperclean", "--method", "aid-cg", "--kfac-factors", "inner", "--steps", "1"},
            {"hyperclean", "--method", "aid-kfac,soba-kfac", "--kfac-factors", "inner", "--steps", "1"},
            // bench-bilevel's default methods include aid-cg: refused before any timing
            {"bench-bilevel", "--kfac-factors", "inner", "--steps", "1"},
        };
        String[] named = {"stale", "aid-cg", "soba-kfac", "aid-cg"};
        for (int i = 0; i < bad.length; i++) {
            CliRun o = CliRun.of(bad[i]);
            assertEquals(2, o.code(), String.join(" ", bad[i]) + " -> " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line expected: " + o.err());
            assertTrue(o.err().contains("--kfac-factors"), o.err());
            if (i > 0) {
                assertTrue(o.err().contains("aid-kfac and aid-ekfac"), o.err());
            }
            assertTrue(o.err().contains(named[i]), o.err());
        }
    }
}
