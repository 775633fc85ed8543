package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.LabelNoise.Replacement;
import dev.hyperkron.nn.data.LabelNoise.Selection;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class LabelNoiseProperties {

    private static Dataset labelled(int n, int classes) {
        return DatasetTest.counting(n, classes);
    }

    private static void assertMaskMatchesLabelChanges(Dataset clean, NoisyLabels noisy) {
        long[] before = clean.labels().toLongArray();
        long[] after = noisy.dataset().labels().toLongArray();
        long[] corrupted = noisy.corrupted().toLongArray();
        long[] selected = noisy.selected().toLongArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] != after[i] ? 1 : 0, corrupted[i], "corrupted mask at position " + i);
            assertTrue(corrupted[i] <= selected[i], "a changed label was selected, position " + i);
        }
    }

    @Property(tries = 60)
    void exactFractionRedrawsRoundRateTimesNLabelsAndTheMaskMarksTheChangedOnes(
            @ForAll @IntRange(min = 1, max = 500) int n, @ForAll @IntRange(min = 2, max = 10) int classes,
            @ForAll @DoubleRange(min = 0, max = 1) double rate, @ForAll long seed) {
        Dataset clean = labelled(n, classes);
        NoisyLabels noisy = LabelNoise.uniform(rate).apply(clean, new Rng(seed));
        assertEquals(Math.round(rate * n), noisy.selectedCount());
        assertMaskMatchesLabelChanges(clean, noisy);
        assertEquals(clean.features(), noisy.dataset().features());
        assertEquals(clean.indices(), noisy.dataset().indices());
    }

    @Property(tries = 60)
    void otherClassReplacementChangesEverySelectedLabel(@ForAll @IntRange(min = 1, max = 500) int n,
            @ForAll @IntRange(min = 2, max = 10) int classes, @ForAll @DoubleRange(min = 0, max = 1) double rate,
            @ForAll boolean independent, @ForAll long seed) {
        Dataset clean = labelled(n, classes);
        LabelNoise noise = LabelNoise.uniform(rate).withReplacement(Replacement.OTHER_CLASS)
                .withSelection(independent ? Selection.INDEPENDENT : Selection.EXACT_FRACTION);
        NoisyLabels noisy = noise.apply(clean, new Rng(seed));
        assertEquals(noisy.selected(), noisy.corrupted());
        assertMaskMatchesLabelChanges(clean, noisy);
        if (!independent) {
            assertEquals(Math.round(rate * n), noisy.corruptedCount());
        }
    }

    @Property(tries = 30)
    void theSameSeedGivesTheSameNoise(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean independent,
            @ForAll long seed) {
        Dataset clean = labelled(n, 5);
        LabelNoise noise = LabelNoise.uniform(0.4).withSelection(independent ? Selection.INDEPENDENT : Selection.EXACT_FRACTION);
        NoisyLabels a = noise.apply(clean, new Rng(seed));
        NoisyLabels b = noise.apply(clean, new Rng(seed));
        assertEquals(a.dataset().labels(), b.dataset().labels());
        assertEquals(a.corrupted(), b.corrupted());
        assertEquals(a.selected(), b.selected());
    }

    @Example
    void uniformNoiseKeepsTheOriginalClassAboutOnceInClassesDraws() {
        int n = 20000;
        int classes = 4;
        NoisyLabels noisy = LabelNoise.uniform(0.5).apply(labelled(n, classes), new Rng(11));
        assertEquals(n / 2, noisy.selectedCount());
        double changedFraction = (double) noisy.corruptedCount() / noisy.selectedCount();
        // Binomial(10000, 3/4): standard deviation 0.0043, so 0.02 is more than four of them.
        assertEquals(1 - 1.0 / classes, changedFraction, 0.02);
    }

    @Example
    void independentSelectionPicksEachPositionWithTheGivenProbability() {
        int n = 20000;
        NoisyLabels noisy = LabelNoise.uniform(0.3).withSelection(Selection.INDEPENDENT)
                .apply(labelled(n, 10), new Rng(5));
        // Binomial(20000, 0.3): standard deviation 0.0032 in the fraction.
        assertEquals(0.3, (double) noisy.selectedCount() / n, 0.015);
    }

    @Example
    void differentSeedsCorruptDifferentPositions() {
        Dataset clean = labelled(200, 10);
        assertNotEquals(LabelNoise.uniform(0.3).apply(clean, new Rng(1)).selected(),
                LabelNoise.uniform(0.3).apply(clean, new Rng(2)).selected());
    }

    @Example
    void masksAreZeroOneBytesAlignedWithPositions() {
        NoisyLabels noisy = LabelNoise.uniform(1).apply(labelled(10, 3), new Rng(1));
        assertEquals(DType.U8, noisy.corrupted().dtype());
        assertEquals(Tensor.ones(DType.U8, 10), noisy.selected());
        assertEquals(noisy.corruptedCount(), (int) noisy.corrupted().cast(DType.F32).sum().item());
    }

    @Example
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.uniform(1.5));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.uniform(-0.1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.uniform(0.5)
                .withReplacement(Replacement.OTHER_CLASS).apply(labelled(5, 1), new Rng(0)));
    }
}
