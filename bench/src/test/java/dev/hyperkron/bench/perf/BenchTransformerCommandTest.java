package dev.hyperkron.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.CliRun;
import org.junit.jupiter.api.Test;

/** bench-transformer times the three figures per thread count; a batch it cannot build is a user error. */
class BenchTransformerCommandTest {

    @Test
    void timesForwardAndBackwardAtEachThreadCount() {
        CliRun o = CliRun.of("bench-transformer", "--batch", "2", "--length", "3", "--threads", "1,2", "--reps", "1",
                "--warmup-runs", "0", "--warmup-seconds", "0", "--tsv");
        assertEquals(0, o.code(), o.err());
        for (String figure : new String[] {"bert.forward_nograd\t1\t", "bert.forward\t2\t", "bert.gradient\t2\t"}) {
            assertTrue(o.out().contains(figure), figure + " missing in " + o.out());
        }
    }

    @Test
    void sequencesLongerThanThePositionTableAreRefused() {
        CliRun o = CliRun.of("bench-transformer", "--length", "513");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--length in 1..512"), o.err());
    }
}
