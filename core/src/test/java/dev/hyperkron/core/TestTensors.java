package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random tensor contents from a seed (with java.util's generator, not the library's Rng) and
 * element-by-element comparison against the {@link NaiveTensor} oracle.
 */
final class TestTensors {
    /** Values that break careless kernels: signed zeros, infinities, NaN, large and tiny numbers. */
    static final double[] SPECIAL_VALUES = {
        0.0, -0.0, 1.0, -1.0, 0.5, 2.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        1e4, -1e4, 88.0, -88.0, 1e-30, -1e-30, 3.0,
    };

    private TestTensors() {
    }

    /** Gaussian values with a scale drawn from the seed. */
    static Tensor random(DType dtype, int[] dims, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double scale = new double[] {0.5, 1, 3, 30}[r.nextInt(4)];
        Tensor t = Tensor.zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage().setDouble(i, scale * gaussian(r));
        }
        return t;
    }

    /** Mostly Gaussian values with about one in five drawn from {@link #SPECIAL_VALUES}. */
    static Tensor withSpecials(DType dtype, int[] dims, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = random(dtype, dims, r.nextLong());
        for (int i = 0; i < t.size(); i++) {
            if (r.nextInt(5) == 0) {
                t.storage().setDouble(i, SPECIAL_VALUES[r.nextInt(SPECIAL_VALUES.length)]);
            }
        }
        return t;
    }

    /** Uniform integers in [0, bound) as an I64 tensor. */
    static Tensor indices(int[] dims, int bound, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.I64, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage().setLong(i, r.nextInt(bound));
        }
        return t;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Unit roundoff of a floating dtype. */
    static double eps(DType dtype) {
        return dtype == DType.F32 ? 0x1p-24 : 0x1p-53;
    }

    /**
     * Same dims and, element by element, |actual - expected| <= rtol |expected| + atol, where
     * NaN matches only NaN and an infinity only the same infinity.
     */
    static void assertClose(Tensor actual, NaiveTensor expected, double rtol, double atol) {
        assertArrayEquals(expected.dims, actual.shape().dims(),
                () -> "shape of " + actual + ", expected " + Arrays.toString(expected.dims));
        for (int i = 0; i < expected.size(); i++) {
            double a = actual.storage().getDouble(i);
            double e = expected.data[i];
            if (!close(a, e, rtol * Math.abs(e) + atol)) {
                fail("element " + Arrays.toString(expected.index(i)) + " of " + actual.dtype() + actual.shape()
                        + " is " + a + ", expected " + e + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Element by element, |actual - expected| <= tol * scale (for sums, where scale = sum of |terms|). */
    static void assertCloseScaled(Tensor actual, NaiveTensor expected, NaiveTensor scale, double tol) {
        assertArrayEquals(expected.dims, actual.shape().dims(),
                () -> "shape of " + actual + ", expected " + Arrays.toString(expected.dims));
        for (int i = 0; i < expected.size(); i++) {
            double a = actual.storage().getDouble(i);
            double e = expected.data[i];
            if (!close(a, e, tol * scale.data[i] + (actual.dtype() == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL))) {
                fail("element " + Arrays.toString(expected.index(i)) + " is " + a + ", expected " + e
                        + " (allowed error " + tol * scale.data[i] + ")");
            }
        }
    }

    /**
     * An adjoint identity {@code <A x, y> = <x, A* y>}: the two inner products agree up to the
     * rounding of a sum of {@code terms} products whose absolute values add up to {@code absSum}.
     */
    static void assertAdjoint(double lhs, double rhs, double absSum, int terms, DType dtype) {
        double allowed = 2 * (terms + 2) * eps(dtype) * absSum + Double.MIN_NORMAL;
        if (!(Math.abs(lhs - rhs) <= allowed)) {
            fail("<A x, y> = " + lhs + " but <x, A* y> = " + rhs + " (allowed difference " + allowed + ")");
        }
    }

    /** Sum of |a_i| |b_i| (the scale of a's dot product with b), in double. */
    static double absDot(Tensor a, Tensor b) {
        return NaiveTensor.map(NaiveTensor.of(a), Math::abs).dot(NaiveTensor.map(NaiveTensor.of(b), Math::abs));
    }

    /** Same dtype, dims and bit-identical elements. */
    static void assertIdentical(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), "dtype");
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), "shape");
        assertEquals(expected, actual);
    }

    static boolean close(double a, double e, double allowed) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (Double.isInfinite(e) || Double.isInfinite(a)) {
            return a == e;
        }
        return Math.abs(a - e) <= allowed;
    }

    static String dims(int[] d) {
        return Arrays.toString(d);
    }
}
