package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void loadsTheEmbeddedSetWithItsKnownShapeAndClassBalance() {
        Dataset d = Digits.load();
        assertEquals(1797, d.size());
        assertEquals(Shape.of(1797, 64), d.features().shape());
        assertEquals(DType.F32, d.features().dtype());
        assertEquals(10, d.classes());
        int[] counts = d.classCounts();
        int total = 0;
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] >= 170 && counts[c] <= 190, "class " + c + " has " + counts[c] + " examples");
            total += counts[c];
        }
        assertEquals(1797, total);
        assertEquals(Tensor.arange(DType.I64, 1797), d.indices());
    }

    @Test
    void pixelsAreScaledFromSixteenLevelsToTheUnitInterval() {
        Tensor x = Digits.load().features();
        assertEquals(0.0, x.min().item());
        assertEquals(1.0, x.max().item());
        Tensor levels = x.mul(16.0);
        assertTrue(levels.allClose(levels.cast(DType.I32).cast(DType.F32), 0, 1e-5), "multiples of 1/16");
        // The first image of the set (a zero), row 1: 0 0 13 15 10 15 5 0.
        assertEquals(13 / 16f, (float) x.get(0, 10));
        assertEquals(0, Digits.load().label(0));
    }

    @Test
    void theImageViewIsTheSamePixelsAsOneChannel8x8() {
        Dataset images = Digits.loadImages();
        assertEquals(Shape.of(1797, 1, 8, 8), images.features().shape());
        assertEquals(Digits.load().features().get(5, 19), images.features().get(5, 0, 2, 3));
    }
}
