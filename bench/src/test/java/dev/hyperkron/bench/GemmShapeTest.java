package dev.hyperkron.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GemmShapeTest {

    @Test
    void standardNamesAndSpelledOutSizesBothResolve() {
        assertEquals(new GemmShape("mlp-fc2-dW", 256, 10, 128, true, false), GemmShape.named("mlp-fc2-dW"));
        assertEquals(new GemmShape("2040x2040x2040", 2040, 2040, 2040, false, false), GemmShape.named("2040x2040x2040"));
        assertEquals(new GemmShape("128x256x784-nt", 128, 256, 784, false, true), GemmShape.named("128x256x784-nt"));
        assertEquals(new GemmShape("7x8x9-tn", 7, 8, 9, true, false), GemmShape.named("7x8x9-tn"));
        GemmShape stored = GemmShape.named("3x4x5-tt");
        assertEquals(5, stored.aRows());
        assertEquals(3, stored.aCols());
        assertEquals(4, stored.bRows());
        assertEquals(5, stored.bCols());
    }

    @Test
    void badNamesAreNamedInTheError() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> GemmShape.named("square3"));
        assertTrue(unknown.getMessage().contains("'square3'") && unknown.getMessage().contains("MxNxK"),
                unknown.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> GemmShape.named("0x4x4"));
        assertTrue(zero.getMessage().contains("'0x4x4'") && zero.getMessage().contains("'0'"), zero.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> GemmShape.named("99999999999x4x4"));
        assertTrue(huge.getMessage().contains("'99999999999'"), huge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmShape.named("4x4x4-xx"));
    }
}
