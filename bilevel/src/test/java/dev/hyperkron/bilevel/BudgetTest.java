package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperkron.bilevel.train.Budget;
import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void aBudgetThatCouldNeverEndIsRefused() {
        for (double seconds : new double[] {Double.POSITIVE_INFINITY, Double.NaN, -1, 0}) {
            assertThrows(IllegalArgumentException.class, () -> Budget.seconds(seconds), "seconds " + seconds);
        }
        assertThrows(IllegalArgumentException.class, () -> Budget.steps(0));
        assertEquals("2.5 s", Budget.seconds(2.5).toString());
        assertEquals("3 steps", Budget.steps(3).toString());
    }
}
