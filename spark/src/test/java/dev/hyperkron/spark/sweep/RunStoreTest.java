package dev.hyperkron.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a sweep relies on from its store of finished runs, without Spark. */
class RunStoreTest {
    private static final Configuration RUN = new Configuration("seed-1_abc", "hyperclean", List.of("--seed", "1"),
            Map.of("seed", "1"));

    @TempDir
    Path dir;

    @Test
    void aRunWithoutResultsIsNeverPublishedAndNamesItsLog() {
        RunStore store = new RunStore(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.runOnce(RUN, (c, out, log) -> 0));
        assertTrue(e.getMessage().contains("log.txt"), e.getMessage());
        assertFalse(store.finished(RUN.id()).isPresent());
    }

    @Test
    void aFinishedRunIsSkippedAndKeepsItsResults() throws IOException {
        RunStore store = new RunStore(dir);
        Outcome first = store.runOnce(RUN, results("first"));
        assertFalse(first.skipped());
        Outcome again = store.runOnce(RUN, (c, out, log) -> {
            throw new AssertionError("ran again");
        });
        assertTrue(again.skipped());
        assertEquals("first", Files.readString(store.folder(RUN.id()).resolve(RunStore.RESULTS)));
        assertTrue(Files.readString(store.folder(RUN.id()).resolve("log.txt")).startsWith("hyperkron hyperclean --seed 1"));
    }

    @Test
    void twoAttemptsFinishingTogetherPublishOneWholeResult() throws Exception {
        RunStore store = new RunStore(dir);
        CountDownLatch bothWritten = new CountDownLatch(2);
        ConfigurationRunner waitsForTheOther = (c, out, log) -> {
            results(out.getFileName().toString()).run(c, out, log);
            bothWritten.countDown();
            try {
                assertTrue(bothWritten.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        };
        CompletableFuture<Outcome> a = CompletableFuture.supplyAsync(() -> store.runOnce(RUN, waitsForTheOther));
        CompletableFuture<Outcome> b = CompletableFuture.supplyAsync(() -> store.runOnce(RUN, waitsForTheOther));
        a.get(20, TimeUnit.SECONDS);
        b.get(20, TimeUnit.SECONDS);
        Path published = store.folder(RUN.id());
        String winner = Files.readString(published.resolve(RunStore.RESULTS));
        assertTrue(winner.startsWith(RUN.id() + "-"), winner);
        try (Stream<Path> left = Files.list(dir.resolve("attempts"))) {
            assertEquals(0, left.count(), "the losing attempt's folder is removed");
        }
    }

    /** Writes results.csv with the given text. */
    private static ConfigurationRunner results(String text) {
        return (c, out, log) -> {
            try {
                Files.writeString(out.resolve(RunStore.RESULTS), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return 0;
        };
    }
}
