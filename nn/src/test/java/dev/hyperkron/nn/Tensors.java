package dev.hyperkron.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/** Random F64 tensors and elementwise comparisons with messages that show the first mismatch. */
public final class Tensors {
    private Tensors() {
    }

    /** Standard normal F64 samples. */
    public static Tensor normal(Rng rng, int... dims) {
        return Tensor.randn(rng, DType.F64, dims);
    }

    /** Asserts equal shapes and |actual - expected| <= tol (1 + |expected|) everywhere. */
    public static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertClose("", expected, actual, tol);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.storage().getDouble(i);
            double a = actual.storage().getDouble(i);
            int at = i;
            assertTrue(Math.abs(a - e) <= tol * (1 + Math.abs(e)),
                    () -> what + " element " + at + ": expected " + e + " but got " + a + " (tolerance " + tol + ")");
        }
    }
}
