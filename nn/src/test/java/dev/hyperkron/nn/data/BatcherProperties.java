package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BatcherProperties {

    /** A subset whose positions and source indices differ, so mixing them up shows. */
    private static Dataset data(int n) {
        int[] positions = new int[n];
        Arrays.setAll(positions, i -> 2 * i + 1);
        return DatasetTest.counting(2 * n + 1, 3).subset(positions);
    }

    private static List<Long> positionsOf(Iterable<Batch> batches) {
        List<Long> out = new ArrayList<>();
        for (Batch b : batches) {
            for (long p : b.positions().toLongArray()) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Batch> draw(Batcher batcher, int count) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(batcher.next());
        }
        return out;
    }

    private static void assertSameBatches(List<Batch> expected, List<Batch> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Batch a = expected.get(i);
            Batch b = actual.get(i);
            assertEquals(a.positions(), b.positions(), "batch " + i);
            assertEquals(a.features(), b.features(), "batch " + i);
            assertEquals(a.epoch(), b.epoch(), "batch " + i);
            assertEquals(a.batchInEpoch(), b.batchInEpoch(), "batch " + i);
        }
    }

    @Property(tries = 60)
    void everyEpochVisitsEveryExampleOnceAndOnlyDropLastLeavesSomeOut(@ForAll @IntRange(min = 1, max = 120) int n,
            @ForAll @IntRange(min = 1, max = 40) int batchSize, @ForAll boolean dropLast, @ForAll long seed) {
        if (dropLast && batchSize > n) {
            return;
        }
        Batcher batcher = new Batcher(data(n), batchSize, dropLast, new Rng(seed));
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> batches = new ArrayList<>();
            batcher.epoch().forEach(batches::add);
            assertEquals(batcher.batchesPerEpoch(), batches.size());
            for (Batch b : batches) {
                assertEquals(epoch, b.epoch());
                assertTrue(b.size() == batchSize || (!dropLast && b == batches.get(batches.size() - 1)),
                        "only the last batch may be smaller, and only without drop-last");
            }
            List<Long> seen = positionsOf(batches);
            assertEquals(seen.size(), seen.stream().distinct().count(), "no example twice in an epoch");
            assertEquals(dropLast ? n / batchSize * batchSize : n, seen.size());
            assertTrue(seen.stream().allMatch(p -> p >= 0 && p < n));
        }
    }

    @Property(tries = 40)
    void batchesCarryTheRowsLabelsAndSourceIndicesOfTheirPositions(@ForAll @IntRange(min = 1, max = 60) int n,
            @ForAll @IntRange(min = 1, max = 16) int batchSize, @ForAll long seed) {
        Dataset data = data(n);
        Batcher batcher = new Batcher(data, batchSize, false, new Rng(seed));
        for (Batch b : draw(batcher, 5)) {
            Dataset expected = data.subset(b.positions());
            assertEquals(expected.features(), b.features());
            assertEquals(expected.labels(), b.labels());
            assertEquals(expected.indices(), b.indices());
            for (int i = 0; i < b.size(); i++) {
                assertEquals(2 * b.positions().getLong(i) + 1, b.indices().getLong(i));
            }
        }
    }

    @Property(tries = 60)
    void aRestoredStateContinuesWithExactlyTheSameBatches(@ForAll @IntRange(min = 1, max = 80) int n,
            @ForAll @IntRange(min = 1, max = 20) int batchSize, @ForAll boolean dropLast,
            @ForAll @IntRange(min = 0, max = 30) int drawnBeforeCheckpoint, @ForAll long seed) {
        if (dropLast && batchSize > n) {
            return;
        }
        Batcher original = new Batcher(data(n), batchSize, dropLast, new Rng(seed));
        draw(original, drawnBeforeCheckpoint);
        BatcherState checkpoint = original.state();
        List<Batch> expected = draw(original, 25);

        Batcher resumed = new Batcher(data(n), batchSize, dropLast, new Rng(seed ^ 0x5DEECE66DL));
        resumed.restore(BatcherState.fromLongs(checkpoint.toLongs()));
        assertEquals(checkpoint, resumed.state());
        assertSameBatches(expected, draw(resumed, 25));
    }

    @Example
    void aRunResumedMidEpochFinishesThatEpochThenContinues() {
        Batcher original = new Batcher(data(10), 3, false, new Rng(42));
        draw(original, 2);
        BatcherState checkpoint = original.state();
        List<Batch> rest = new ArrayList<>();
        original.epoch().forEach(rest::add);
        List<Batch> nextEpoch = new ArrayList<>();
        original.epoch().forEach(nextEpoch::add);

        Batcher resumed = new Batcher(data(10), 3, false, new Rng(0));
        resumed.restore(checkpoint);
        List<Batch> resumedRest = new ArrayList<>();
        resumed.epoch().forEach(resumedRest::add);
        assertEquals(2, resumedRest.size(), "batches 2 and 3 of the 4 in epoch 0");
        assertSameBatches(rest, resumedRest);
        List<Batch> resumedNext = new ArrayList<>();
        resumed.epoch().forEach(resumedNext::add);
        assertSameBatches(nextEpoch, resumedNext);
    }

    @Example
    void theSameSeedGivesTheSameBatchesAndEpochsAreReshuffled() {
        List<Batch> a = draw(new Batcher(data(20), 20, false, new Rng(9)), 2);
        List<Batch> b = draw(new Batcher(data(20), 20, false, new Rng(9)), 2);
        assertSameBatches(a, b);
        assertNotEquals(a.get(0).positions(), a.get(1).positions(), "epoch 1 has a new order");
        assertNotEquals(a.get(0).positions(), draw(new Batcher(data(20), 20, false, new Rng(10)), 1).get(0).positions());
    }

    @Example
    void nextNeverRunsOut() {
        Batcher batcher = new Batcher(data(5), 2, true, new Rng(1));
        List<Batch> batches = draw(batcher, 7);
        assertEquals(2, batcher.batchesPerEpoch());
        assertEquals(3, batches.get(6).epoch());
        assertEquals(0, batches.get(6).batchInEpoch());
        assertTrue(batches.stream().allMatch(b -> b.size() == 2));
    }

    @Example
    void anEpochIteratorStopsAtItsEpochsEnd() {
        Batcher batcher = new Batcher(data(4), 2, false, new Rng(1));
        Iterator<Batch> it = batcher.epoch().iterator();
        it.next();
        batcher.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Example
    void mismatchedStatesAndImpossibleSettingsAreRejected() {
        BatcherState state = new Batcher(data(10), 3, false, new Rng(1)).state();
        assertThrows(IllegalArgumentException.class, () -> new Batcher(data(11), 3, false, new Rng(1)).restore(state));
        assertThrows(IllegalArgumentException.class, () -> new Batcher(data(10), 3, true, new Rng(1)).restore(state));
        long[] bad = state.toLongs();
        bad[5] = 1;
        bad[6] = 9;
        assertThrows(IllegalArgumentException.class, () -> new Batcher(data(10), 3, false, new Rng(1))
                .restore(BatcherState.fromLongs(bad)));
        assertThrows(IllegalArgumentException.class, () -> BatcherState.fromLongs(new long[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batcher(data(3), 4, true, new Rng(1)));
        assertTrue(e.getMessage().contains("3 examples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Batcher(data(3), 0, false, new Rng(1)));
    }

    @Example
    void positionsPickPerExampleWeights() {
        Dataset d = data(6);
        Tensor weights = Tensor.of(new float[] {0, 10, 20, 30, 40, 50});
        Batch b = new Batcher(d, 4, false, new Rng(3)).next();
        Tensor picked = weights.indexSelect(0, b.positions());
        for (int i = 0; i < b.size(); i++) {
            assertEquals(10.0 * b.positions().getLong(i), picked.get(i));
        }
    }
}
