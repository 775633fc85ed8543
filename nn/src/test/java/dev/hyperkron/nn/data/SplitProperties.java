package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SplitProperties {

    /** n examples with skewed classes: class c appears with weight c + 1. */
    private static Dataset skewed(int n, int classes, long seed) {
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = c + 1;
        }
        Rng rng = new Rng(seed);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.categorical(weights);
        }
        return Dataset.of(Tensor.arange(DType.F32, n).reshape(n, 1), Tensor.of(y), classes);
    }

    private static long[] sourceIndices(Dataset... parts) {
        return Arrays.stream(parts).flatMapToLong(p -> Arrays.stream(p.indices().toLongArray())).sorted().toArray();
    }

    @Property(tries = 60)
    void fractionsSummingToOneGiveDisjointPartsThatCoverTheSet(@ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 1, max = 6) int classes, @ForAll boolean stratified, @ForAll long seed) {
        Dataset data = skewed(n, classes, seed);
        Split s = Split.byFractions(data, 0.6, 0.25, 0.15, new Rng(seed), stratified);
        long[] all = sourceIndices(s.train(), s.validation(), s.test());
        long[] expected = new long[n];
        Arrays.setAll(expected, i -> i);
        assertEquals(Arrays.toString(expected), Arrays.toString(all), "every example exactly once");
        assertEquals(Math.round(0.25 * n), s.validation().size());
        assertEquals(Math.round(0.15 * n), s.test().size());
    }

    @Property(tries = 60)
    void sizesAreExactAndLeftoverExamplesAreDropped(@ForAll @IntRange(min = 10, max = 300) int n,
            @ForAll boolean stratified, @ForAll long seed) {
        Dataset data = skewed(n, 4, seed);
        int train = n / 3;
        int validation = n / 4;
        int test = n / 5;
        Split s = Split.bySizes(data, train, validation, test, new Rng(seed), stratified);
        assertEquals(train, s.train().size());
        assertEquals(validation, s.validation().size());
        assertEquals(test, s.test().size());
        long[] all = sourceIndices(s.train(), s.validation(), s.test());
        assertEquals(all.length, Arrays.stream(all).distinct().count(), "parts are disjoint");
    }

    @Property(tries = 60)
    void stratifiedPartsKeepTheClassProportions(@ForAll @IntRange(min = 20, max = 400) int n,
            @ForAll @IntRange(min = 2, max = 5) int classes, @ForAll long seed) {
        Dataset data = skewed(n, classes, seed);
        Split s = Split.byFractions(data, 0.5, 0.3, 0.2, new Rng(seed), true);
        int[] whole = data.classCounts();
        for (Dataset part : new Dataset[] {s.train(), s.validation(), s.test()}) {
            int[] counts = part.classCounts();
            for (int c = 0; c < classes; c++) {
                double expected = (double) part.size() * whole[c] / n;
                assertTrue(Math.abs(counts[c] - expected) < 2, "class " + c + ": " + counts[c] + " examples, proportion says "
                        + expected + " (part of " + part.size() + ", class total " + whole[c] + " of " + n + ")");
            }
        }
    }

    @Property(tries = 30)
    void theSameSeedGivesTheSameSplit(@ForAll @IntRange(min = 2, max = 200) int n, @ForAll boolean stratified,
            @ForAll long seed) {
        Dataset data = skewed(n, 3, 7);
        Split a = Split.byFractions(data, 0.5, 0.5, 0, new Rng(seed), stratified);
        Split b = Split.byFractions(data, 0.5, 0.5, 0, new Rng(seed), stratified);
        assertEquals(a.train().indices(), b.train().indices());
        assertEquals(a.validation().indices(), b.validation().indices());
    }

    @Example
    void differentSeedsGiveDifferentSplits() {
        Dataset data = skewed(200, 3, 7);
        assertNotEquals(Split.byFractions(data, 0.5, 0.5, 0, new Rng(1), false).train().indices(),
                Split.byFractions(data, 0.5, 0.5, 0, new Rng(2), false).train().indices());
    }

    @Example
    void partsKeepSourceOrderAndCarryTheirRows() {
        Dataset data = skewed(50, 3, 7);
        Split s = Split.bySizes(data, 20, 10, 5, new Rng(3), true);
        long[] idx = s.train().indices().toLongArray();
        for (int i = 0; i < idx.length; i++) {
            assertTrue(i == 0 || idx[i - 1] < idx[i], "ascending source order");
            assertEquals(idx[i], (long) s.train().features().get(i, 0), "features follow their index");
            assertEquals(data.label((int) idx[i]), s.train().label(i));
        }
    }

    @Example
    void impossibleSizesAndFractionsAreRejected() {
        Dataset data = skewed(10, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> Split.bySizes(data, 5, 5, 1, new Rng(0), false));
        assertThrows(IllegalArgumentException.class, () -> Split.bySizes(data, -1, 5, 1, new Rng(0), false));
        assertThrows(IllegalArgumentException.class, () -> Split.byFractions(data, 0.6, 0.5, 0, new Rng(0), true));
        assertThrows(IllegalArgumentException.class, () -> Split.byFractions(data, 0.5, -0.1, 0, new Rng(0), true));
    }

    @Property(tries = 30)
    void namedStratifiedFactoriesAreTheStratifiedSplits(@ForAll @IntRange(min = 10, max = 200) int n,
            @ForAll long seed) {
        Dataset data = skewed(n, 3, seed);
        Split named = Split.stratifiedBySizes(data, n / 2, n / 4, n / 5, new Rng(seed));
        Split flagged = Split.bySizes(data, n / 2, n / 4, n / 5, new Rng(seed), true);
        assertEquals(flagged.train().indices(), named.train().indices());
        assertEquals(flagged.validation().indices(), named.validation().indices());
        assertEquals(flagged.test().indices(), named.test().indices());
        Split byFractions = Split.stratifiedByFractions(data, 0.5, 0.3, 0.2, new Rng(seed));
        assertEquals(Split.byFractions(data, 0.5, 0.3, 0.2, new Rng(seed), true).test().indices(),
                byFractions.test().indices());
    }
}
