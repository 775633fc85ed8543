package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void resizingThePoolWhileAnotherThreadComputesLosesNoWork() throws InterruptedException {
        int original = Parallel.threads();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong wrongSums = new AtomicLong();
        Thread worker = new Thread(() -> {
            long[] counts = new long[4096];
            for (int round = 0; round < 3000 && failure.get() == null; round++) {
                java.util.Arrays.fill(counts, 0);
                try {
                    Parallel.forRange(counts.length, 1, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            counts[i]++;
                        }
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
                if (java.util.Arrays.stream(counts).sum() != counts.length) {
                    wrongSums.incrementAndGet();
                }
            }
        });
        try {
            worker.start();
            for (int i = 0; worker.isAlive(); i++) {
                Parallel.setThreads(2 + i % 3);
            }
            worker.join();
        } finally {
            Parallel.setThreads(original);
        }
        assertEquals(null, failure.get(), () -> "work on another thread failed: " + failure.get());
        assertEquals(0, wrongSums.get(), "rounds that did not cover every index exactly once");
    }

    @Test
    void aThreadCountTheJvmCannotPoolIsRefusedWithTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(100_000));
        assertTrue(e.getMessage().contains("100000") && e.getMessage().contains("32767"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
