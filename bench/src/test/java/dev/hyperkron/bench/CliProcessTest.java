package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as its own process: JVM properties, signals and files left behind. */
class CliProcessTest {
    private static final String[] TINY = {"hyperclean", "--model", "linear", "--steps", "1", "--warmup-steps", "0",
        "--train-size", "50", "--val-size", "20", "--out", "out"};

    @Test
    void badJvmPropertiesGiveOneLineNamingThePropertyAndExitCodeTwo(@TempDir Path dir) throws Exception {
        for (String property : new String[] {"-Dhyperkron.threads=abc", "-Dhyperkron.threads=0",
            "-Dhyperkron.kernels=gpu"}) {
            CliProcess p = CliProcess.run(dir, List.of(property), TINY);
            assertEquals(2, p.code(), property + ": " + p.err());
            String err = p.err().lines().filter(l -> !l.startsWith("WARNING")).reduce("", (a, b) -> a + b + "\n");
            assertEquals(1, err.strip().lines().count(), property + ": one line expected, got " + err);
            assertTrue(err.contains(property.substring(2)), property + ": " + err);
        }
    }

    @Test
    void runningOutOfMemoryIsOneLineSayingHowToGiveTheJvmMore(@TempDir Path dir) throws Exception {
        CliProcess p = CliProcess.run(dir, List.of("-Xmx256m"), "hyperclean", "--model", "mlp", "--hidden", "20000",
                "--method", "aid-kfac", "--steps", "1", "--warmup-steps", "0", "--out", "out");
        assertEquals(1, p.code(), p.err());
        String err = p.err().lines().filter(l -> l.startsWith("hyperkron:")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, err.strip().lines().count(), p.err());
        assertTrue(err.contains("out of memory") && err.contains("HYPERKRON_JAVA_OPTS=-Xmx"), p.err());
        assertTrue(!p.err().contains("\tat "), "no stack trace: " + p.err());
    }

    @Test
    void sigtermSaysWhereTheRunStoppedAndHowToContinue(@TempDir Path dir) throws Exception {
        Process p = CliProcess.start(dir, List.of(), "hyperclean", "--model", "linear", "--method", "one-step",
                "--steps", "100000", "--warmup-steps", "0", "--train-size", "50", "--val-size", "20",
                "--checkpoint-every", "1", "--out", "out");
        Path checkpoint = dir.resolve("out/checkpoints/one_step/checkpoint.safetensors");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(checkpoint), "no checkpoint within 60 s");
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process did not end after SIGTERM");
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertTrue(err.matches("(?s).*one-step: interrupted at outer step \\d+; last checkpoint at step \\d+; "
                + "continue with --resume.*"), err);
    }

    @Test
    void theProgressBarOpensNoTerminalSoLoadsNoNativeLibrary(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.txt");
        CliProcess p = CliProcess.run(dir, List.of("-Xlog:class+load=info:file=" + log), TINY);
        assertEquals(0, p.code(), p.err());
        // JLine's string-width tables are plain Java; opening a terminal extracts and loads libjlinenative
        List<String> jline = Files.readAllLines(log).stream()
                .filter(l -> l.contains("org.jline.terminal") || l.contains("org.jline.nativ")).toList();
        assertTrue(jline.isEmpty(), "JLine terminal or native classes loaded: " + jline);
    }
}
