package dev.hyperkron.bilevel.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Pearson and Spearman against values worked out by hand. */
class CorrelationTest {

    @Test
    void pearsonOfAnAffineImageIsOneAndOfItsNegationMinusOne() {
        double[] x = {1, 2, 4, 7};
        double[] y = {3, 5, 9, 15};
        assertEquals(1, Correlation.pearson(x, y), 1e-15);
        assertEquals(-1, Correlation.pearson(x, new double[] {-3, -5, -9, -15}), 1e-15);
    }

    @Test
    void pearsonMatchesTheTextbookFormula() {
        // deviations (-1, 0, 1) and (-1, 1, 0): r = 1 / (sqrt 2 sqrt 2)
        assertEquals(0.5, Correlation.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-15);
    }

    @Test
    void spearmanSeesOnlyTheOrderAndAveragesTies() {
        assertEquals(1, Correlation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 10, 100, 1000}), 1e-15);
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Correlation.ranks(new double[] {-1, 5, 5, 9}), 0);
    }

    @Test
    void unpairedSamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1, 2}, new double[] {1}));
    }
}
