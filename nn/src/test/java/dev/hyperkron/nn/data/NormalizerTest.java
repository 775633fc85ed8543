package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import org.junit.jupiter.api.Test;

class NormalizerTest {

    private static Dataset gaussian(long seed, int n, double mean, double std) {
        Tensor x = Tensor.randn(new Rng(seed), DType.F32, n, 3).mul(std).add(mean);
        return Dataset.of(x, Tensor.zeros(DType.I64, n), 1);
    }

    @Test
    void standardizationGivesZeroMeanAndUnitDeviationOnTheFittedSet() {
        Dataset train = gaussian(1, 500, 5, 3);
        Dataset normalized = Normalizer.standardize(train).apply(train);
        Tensor x = normalized.features().cast(DType.F64);
        assertTrue(x.mean(0, false).allClose(Tensor.zeros(DType.F64, 3), 0, 1e-5), x.mean(0, false).toString());
        assertTrue(x.variance(new int[] {0}, false).allClose(Tensor.ones(DType.F64, 3), 0, 1e-5));
        assertEquals(DType.F32, normalized.features().dtype());
    }

    @Test
    void otherSetsUseTheTrainingStatistics() {
        Dataset train = Dataset.of(Tensor.of(new float[] {0, 2, 4}, 3, 1), Tensor.zeros(DType.I64, 3), 1);
        Dataset test = Dataset.of(Tensor.of(new float[] {2, 6}, 2, 1), Tensor.zeros(DType.I64, 2), 1);
        Normalizer standardize = Normalizer.standardize(train);
        double std = Math.sqrt(8.0 / 3);
        assertTrue(standardize.apply(test).features().allClose(Tensor.of(new float[] {0, (float) (4 / std)}, 2, 1), 1e-6, 1e-6));
        Normalizer minMax = Normalizer.minMax(train);
        assertEquals(Tensor.of(new float[] {0.5f, 1.5f}, 2, 1), minMax.apply(test).features());
    }

    @Test
    void minMaxMapsTheFittedRangeOfEveryFeatureToTheUnitInterval() {
        Dataset train = gaussian(2, 200, -1, 4);
        Tensor x = Normalizer.minMax(train).apply(train).features();
        assertEquals(Tensor.zeros(DType.F32, 3), x.min(0, false));
        assertTrue(x.max(0, false).allClose(Tensor.ones(DType.F32, 3), 1e-6, 0));
    }

    @Test
    void constantFeaturesBecomeZeroInsteadOfDividingByZero() {
        Dataset constant = Dataset.of(Tensor.full(DType.F32, 7, 4, 2), Tensor.zeros(DType.I64, 4), 1);
        assertEquals(Tensor.zeros(DType.F32, 4, 2), Normalizer.standardize(constant).apply(constant).features());
        assertEquals(Tensor.zeros(DType.F32, 4, 2), Normalizer.minMax(constant).apply(constant).features());
    }

    @Test
    void statisticsArePerElementOfAnImage() {
        Tensor images = Tensor.randn(new Rng(3), DType.F64, 50, 2, 3, 3);
        Dataset train = Dataset.of(images, Tensor.zeros(DType.I64, 50), 1);
        Normalizer n = Normalizer.standardize(train);
        assertTrue(n.offset(DType.F64).allClose(images.mean(0, false), 1e-12, 1e-12));
        assertEquals(DType.F64, n.apply(train).features().dtype());
    }

    @Test
    void mismatchedExampleShapesAreRejected() {
        Normalizer n = Normalizer.standardize(gaussian(4, 10, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.apply(Tensor.zeros(DType.F32, 10, 4)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[10, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalizer.minMax(gaussian(4, 10, 0, 1).subset(new int[0])));
    }
}
