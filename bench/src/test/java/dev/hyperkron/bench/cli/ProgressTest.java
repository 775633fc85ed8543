package dev.hyperkron.bench.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.train.HistoryEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aNoteStartsOnItsOwnLineAndADivergedRunDoesNotFillTheBar() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(stream);
        try (Progress progress = Progress.steps("test", 1, 10)) {
            progress.startRun("M");
            progress.listener().afterStep(new HistoryEntry(3, 1, 1, 1, 0, 0, 1, "", Map.of()), Params.empty(),
                    Params.empty());
            progress.note(new PrintWriter(stream, true), "hyperkron: diverged");
            progress.finishRun(false);
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("\nhyperkron: diverged\n"), err);
        assertFalse(err.contains("100%"), err);
        assertTrue(err.contains("30%"), err);
    }
}
