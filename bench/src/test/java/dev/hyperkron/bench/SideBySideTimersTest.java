package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The timers the side-by-side scripts parse (gemm-vs-numpy.sh, server-check.sh) print one line
 * per figure in the format of their Python peers.
 */
class SideBySideTimersTest {

    @Test
    void gemmListsItsShapesAndTimesOnePerThreadCount() {
        List<String> shapes = run(() -> GemmSideBySide.main(new String[] {"--list", "square256", "mlp-fc2-dW"}));
        assertEquals(List.of("square256 256 256 256 false false", "mlp-fc2-dW 256 10 128 true false"), shapes);
        List<String> timed = run(() -> GemmSideBySide.main(new String[] {"--threads", "1", "--seconds", "0", "mlp-fc2"}));
        assertTrue(timed.get(timed.size() - 1).matches("mlp-fc2 1 [0-9]+\\.[0-9]{2}"), timed.toString());
    }

    @Test
    void eighPrintsSizeThreadsAndMeanMilliseconds() {
        List<String> lines = run(() -> EighSideBySide.main(new String[] {"--threads", "1,2", "--seconds", "0", "8", "12"}));
        assertEquals(4, lines.size(), lines.toString());
        for (String prefix : new String[] {"8 1 ", "12 1 ", "8 2 ", "12 2 "}) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix) && l.substring(prefix.length()).matches(
                    "[0-9]+\\.[0-9]{3}")), prefix + " missing from " + lines);
        }
    }

    private static List<String> run(Runnable main) {
        PrintStream previous = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int threads = dev.hyperkron.core.kernels.Parallel.threads();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            main.run();
        } finally {
            System.setOut(previous);
            dev.hyperkron.core.kernels.Parallel.setThreads(threads);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
