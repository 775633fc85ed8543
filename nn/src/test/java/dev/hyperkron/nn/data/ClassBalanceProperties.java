package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class ClassBalanceProperties {

    /** n examples with random labels in [0, classes); feature i is i, so features trace positions too. */
    private static Dataset labelled(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Dataset.of(Tensor.arange(DType.F64, n).reshape(n, 1), Tensor.of(y), classes);
    }

    /** For each class, a random count between 0 and what the class has. */
    private static int[] randomCounts(Dataset data, long seed) {
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        int[] available = data.classCounts();
        int[] counts = new int[available.length];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = rng.nextInt(available[c] + 1);
        }
        return counts;
    }

    @Property(tries = 80)
    void subsampleKeepsExactlyTheRequestedCountsOfDistinctSourceExamplesInSourceOrder(
            @ForAll @IntRange(min = 0, max = 200) int n, @ForAll @IntRange(min = 1, max = 6) int classes,
            @ForAll long seed) {
        Dataset data = labelled(n, classes, seed);
        int[] counts = randomCounts(data, seed);
        Dataset kept = ClassBalance.subsample(data, counts, new Rng(seed));
        assertArrayEquals(counts, kept.classCounts());
        long[] indices = kept.indices().toLongArray();
        for (int i = 1; i < indices.length; i++) {
            assertTrue(indices[i - 1] < indices[i], "distinct and in source order: " + Arrays.toString(indices));
        }
        for (int i = 0; i < kept.size(); i++) {
            int source = (int) kept.index(i);
            assertEquals(data.label(source), kept.label(i), "labels travel with their examples");
            assertEquals(source, kept.features().get(i, 0), "features travel with their examples");
        }
    }

    @Property(tries = 50)
    void subsampleIsDeterministicPerSeed(@ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll @IntRange(min = 1, max = 5) int classes, @ForAll long seed) {
        Dataset data = labelled(n, classes, seed);
        int[] counts = randomCounts(data, seed);
        Dataset a = ClassBalance.subsample(data, counts, new Rng(seed));
        Dataset b = ClassBalance.subsample(data, counts, new Rng(seed));
        assertEquals(a.indices(), b.indices());
    }

    @Property(tries = 50)
    void aClassDrawDoesNotDependOnTheOtherClassesCounts(@ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll @IntRange(min = 2, max = 5) int classes, @ForAll long seed) {
        Dataset data = labelled(n, classes, seed);
        int[] counts = randomCounts(data, seed);
        int[] onlyFirst = new int[classes];
        onlyFirst[0] = counts[0];
        long[] firstInFull = classIndices(ClassBalance.subsample(data, counts, new Rng(seed)), 0);
        long[] firstAlone = classIndices(ClassBalance.subsample(data, onlyFirst, new Rng(seed)), 0);
        assertArrayEquals(firstAlone, firstInFull);
    }

    private static long[] classIndices(Dataset data, int c) {
        return java.util.stream.IntStream.range(0, data.size()).filter(i -> data.label(i) == c)
                .mapToLong(data::index).toArray();
    }

    @Property(tries = 50)
    void fractionsKeepTheRoundedShareOfEachClass(@ForAll @IntRange(min = 0, max = 200) int n,
            @ForAll @IntRange(min = 1, max = 5) int classes, @ForAll long seed) {
        Dataset data = labelled(n, classes, seed);
        double[] fractions = new double[classes];
        Rng rng = new Rng(seed);
        for (int c = 0; c < classes; c++) {
            fractions[c] = rng.nextDouble();
        }
        int[] available = data.classCounts();
        int[] kept = ClassBalance.subsampleFractions(data, fractions, new Rng(seed)).classCounts();
        for (int c = 0; c < classes; c++) {
            assertEquals(Math.round(fractions[c] * available[c]), kept[c], "class " + c);
        }
    }

    @Property(tries = 30)
    void balancedHasTheSameCountInEveryClass(@ForAll @IntRange(min = 1, max = 5) int classes,
            @ForAll @IntRange(min = 0, max = 8) int perClass, @ForAll long seed) {
        Dataset data = labelled(60 * classes, classes, seed);
        // 60 draws per class on average; guard the rare class with fewer than perClass examples.
        if (Arrays.stream(data.classCounts()).min().orElse(0) < perClass) {
            return;
        }
        int[] counts = ClassBalance.balanced(data, perClass, new Rng(seed)).classCounts();
        int[] expected = new int[classes];
        Arrays.fill(expected, perClass);
        assertArrayEquals(expected, counts);
    }

    @Example
    void exponentialProfileMatchesHandComputedCounts() {
        // 100 * 100^(-c/2) for c = 0, 1, 2.
        assertArrayEquals(new int[] {100, 10, 1}, ClassBalance.exponentialProfile(3, 100, 100));
        // 50 * 10^(-c/4): 50, 28.1, 15.8, 8.9, 5.
        assertArrayEquals(new int[] {50, 28, 16, 9, 5}, ClassBalance.exponentialProfile(5, 50, 10));
        assertArrayEquals(new int[] {7, 7, 7}, ClassBalance.exponentialProfile(3, 7, 1));
        assertArrayEquals(new int[] {7}, ClassBalance.exponentialProfile(1, 7, 10));
    }

    @Example
    void invalidRequestsAreRefusedNamingTheClassAndCounts() {
        Dataset data = Dataset.of(Tensor.zeros(DType.F32, 4, 1), Tensor.of(new long[] {0, 0, 1, 1}), 2);
        Rng rng = new Rng(1);
        String tooMany = assertThrows(IllegalArgumentException.class,
                () -> ClassBalance.subsample(data, new int[] {1, 3}, rng)).getMessage();
        assertTrue(tooMany.contains("class 1 has 2 examples, cannot keep 3"), tooMany);
        String length = assertThrows(IllegalArgumentException.class,
                () -> ClassBalance.subsample(data, new int[] {1}, rng)).getMessage();
        assertTrue(length.contains("expected 2 per-class counts"), length);
        assertThrows(IllegalArgumentException.class, () -> ClassBalance.subsample(data, new int[] {-1, 0}, rng));
        String fraction = assertThrows(IllegalArgumentException.class,
                () -> ClassBalance.subsampleFractions(data, new double[] {0.5, 1.5}, rng)).getMessage();
        assertTrue(fraction.contains("fraction 1.5 of class 1"), fraction);
        assertThrows(IllegalArgumentException.class, () -> ClassBalance.exponentialProfile(3, 10, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ClassBalance.exponentialProfile(0, 10, 2));
    }

    @Property(tries = 30)
    void positionsByClassListEveryPositionUnderItsLabel(@ForAll @IntRange(min = 0, max = 100) int n,
            @ForAll @IntRange(min = 1, max = 5) int classes, @ForAll long seed) {
        Dataset data = labelled(n, classes, seed);
        int[][] byClass = data.positionsByClass();
        assertEquals(classes, byClass.length);
        int total = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < byClass[c].length; i++) {
                assertEquals(c, data.label(byClass[c][i]));
                assertTrue(i == 0 || byClass[c][i - 1] < byClass[c][i]);
            }
            total += byClass[c].length;
        }
        assertEquals(n, total);
    }
}
