package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Tensor factories: the right shape, dtype and values; random ones reproducible from a seed with correct moments. */
class CreationProperties {

    @Property(tries = 200)
    void zerosOnesAndFullFillEveryElement(@ForAll("shapes") int[] dims, @ForAll DType dtype,
            @ForAll @IntRange(min = -100, max = 100) int value) {
        assertFilled(Tensor.zeros(dtype, dims), dtype, dims, 0);
        assertFilled(Tensor.zeros(dtype, Shape.of(dims)), dtype, dims, 0);
        assertFilled(Tensor.ones(dtype, dims), dtype, dims, 1);
        double v = dtype == DType.U8 ? Math.abs(value) : value;
        assertFilled(Tensor.full(dtype, v, dims), dtype, dims, v);
        assertFilled(Tensor.full(dtype, v, Shape.of(dims)), dtype, dims, v);
        Tensor s = Tensor.scalar(dtype, v);
        assertEquals(0, s.rank());
        assertEquals(v, s.item());
    }

    private static void assertFilled(Tensor t, DType dtype, int[] dims, double value) {
        assertEquals(dtype, t.dtype());
        assertArrayEquals(dims, t.shape().dims());
        for (int i = 0; i < t.size(); i++) {
            assertEquals(value, t.storage().getDouble(i));
        }
    }

    @Example
    void fullKeepsTheSignOfNegativeZero() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            assertEquals(Double.NEGATIVE_INFINITY, 1 / Tensor.full(dtype, -0.0, 3).get(1));
            assertEquals(Double.NEGATIVE_INFINITY, 1 / Tensor.scalar(dtype, -0.0).item());
            assertTrue(Double.isNaN(Tensor.full(dtype, Double.NaN, 2).get(0)));
        }
    }

    @Property(tries = 100)
    void arangeCountsFromZeroAndEyeIsTheIdentity(@ForAll DType dtype, @ForAll @IntRange(max = 40) int n) {
        Tensor a = Tensor.arange(dtype, n);
        assertArrayEquals(new int[] {n}, a.shape().dims());
        assertEquals(dtype, a.dtype());
        for (int i = 0; i < n; i++) {
            assertEquals(i, a.getLong(i));
        }
        Tensor eye = Tensor.eye(dtype, n);
        assertArrayEquals(new int[] {n, n}, eye.shape().dims());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, eye.get(i, j));
            }
        }
    }

    @Property(tries = 100)
    void ofCopiesTheValuesWithTheMatchingDtype(@ForAll("nonScalarShapes") int[] dims, @ForAll long seed) {
        int size = NaiveTensor.sizeOf(dims);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] d = r.doubles(size).toArray();
        float[] f = new float[size];
        long[] l = r.longs(size).toArray();
        int[] in = r.ints(size).toArray();
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) d[i];
            b[i] = (byte) in[i];
        }
        Tensor[] tensors = {Tensor.of(d, dims), Tensor.of(f, dims), Tensor.of(l, dims), Tensor.of(in, dims), Tensor.of(b, dims)};
        DType[] types = {DType.F64, DType.F32, DType.I64, DType.I32, DType.U8};
        for (int k = 0; k < tensors.length; k++) {
            assertEquals(types[k], tensors[k].dtype());
            assertArrayEquals(dims, tensors[k].shape().dims());
        }
        for (int i = 0; i < size; i++) {
            assertEquals(d[i], tensors[0].storage().getDouble(i));
            assertEquals(f[i], tensors[1].storage().getDouble(i));
            assertEquals(l[i], tensors[2].storage().getLong(i));
            assertEquals(in[i], tensors[3].storage().getLong(i));
            assertEquals(b[i] & 0xFF, tensors[4].storage().getLong(i));
        }
        if (size > 0) {
            double before = tensors[0].storage().getDouble(0);
            d[0] = before + 1;
            assertEquals(before, tensors[0].storage().getDouble(0), "of must copy its array");
        }
        assertArrayEquals(new int[] {size}, Tensor.of(d).shape().dims());
    }

    @Example
    void ofRejectsValueCountsThatDoNotFillTheShape() {
        LayoutProperties.assertNamesOp("Tensor.of", () -> Tensor.of(new double[] {1, 2, 3}, 2, 2));
        LayoutProperties.assertNamesOp("Tensor.of", () -> Tensor.of(DType.F32, new double[][] {{1, 2}, {3}}));
        Tensor m = Tensor.of(DType.F32, new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, m.shape().dims());
        assertEquals(6, m.get(1, 2));
        assertArrayEquals(new int[] {0, 0}, Tensor.of(DType.F64, new double[0][]).shape().dims());
    }

    @Property(tries = 20)
    void randomTensorsAreReproducibleFromTheSeed(@ForAll long seed, @ForAll("floating") DType dtype) {
        TestTensors.assertIdentical(Tensor.randn(new Rng(seed), dtype, 4, 5), Tensor.randn(new Rng(seed), dtype, 4, 5));
        TestTensors.assertIdentical(Tensor.uniform(new Rng(seed), dtype, -2, 3, 7), Tensor.uniform(new Rng(seed), dtype, -2, 3, 7));
        TestTensors.assertIdentical(Tensor.rand(new Rng(seed), dtype, 7), Tensor.rand(new Rng(seed), dtype, 7));
        assertNotEquals(Tensor.randn(new Rng(seed), dtype, 8), Tensor.randn(new Rng(seed + 1), dtype, 8));
    }

    @Example
    void randnHasStandardNormalMoments() {
        int n = 200_000;
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double[] x = Tensor.randn(new Rng(2024), dtype, n).toDoubleArray();
            double mean = 0;
            double m2 = 0;
            double m4 = 0;
            int withinOneSigma = 0;
            for (double v : x) {
                mean += v / n;
                m2 += v * v / n;
                m4 += v * v * v * v / n;
                withinOneSigma += Math.abs(v) < 1 ? 1 : 0;
            }
            // Five standard errors: mean sd 1/sqrt(n), E x^2 sd sqrt(2/n), E x^4 sd sqrt(96/n).
            assertEquals(0, mean, 5 / Math.sqrt(n));
            assertEquals(1, m2, 5 * Math.sqrt(2.0 / n));
            assertEquals(3, m4, 5 * Math.sqrt(96.0 / n));
            assertEquals(0.6826894921370859, (double) withinOneSigma / n, 5 * Math.sqrt(0.22 / n));
        }
    }

    @Example
    void uniformStaysInTheHalfOpenIntervalWithUniformMoments() {
        int n = 200_000;
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double low = -2;
            double high = 3;
            double[] x = Tensor.uniform(new Rng(7), dtype, low, high, n).toDoubleArray();
            double mean = 0;
            double var = 0;
            for (double v : x) {
                assertTrue(v >= low && v < high, () -> v + " outside [-2, 3)");
                mean += v / n;
            }
            for (double v : x) {
                var += (v - mean) * (v - mean) / n;
            }
            double width = high - low;
            assertEquals((low + high) / 2, mean, 5 * width / Math.sqrt(12.0 * n));
            assertEquals(width * width / 12, var, 5 * width * width / Math.sqrt(180.0 * n));
            double[] unit = Tensor.rand(new Rng(8), dtype, 1000).toDoubleArray();
            for (double v : unit) {
                assertTrue(v >= 0 && v < 1);
            }
        }
    }

    @Example
    void uniformF32NeverReturnsTheUpperBoundEvenWhenTheDrawRoundsUpToIt() {
        // This seed's first draw is 0.99999998926..., which rounds to 1.0f.
        long seed = 63433462;
        assertEquals(1.0f, (float) new Rng(seed).nextDouble());
        assertTrue(Tensor.rand(new Rng(seed), DType.F32, 1).get(0) < 1);
        assertTrue(Tensor.uniform(new Rng(seed), DType.F32, 1, 2, 1).get(0) < 2);
        assertTrue(Tensor.uniform(new Rng(seed), DType.F32, 0, 0.1, 1).get(0) < 0.1);
        assertEquals(5, Tensor.uniform(new Rng(seed), DType.F64, 5, 5, 1).get(0));
    }

    @Example
    void uniformRejectsAnInvertedOrInfiniteInterval() {
        LayoutProperties.assertNamesOp("uniform", () -> Tensor.uniform(new Rng(1), DType.F32, 1, 0, 2));
        LayoutProperties.assertNamesOp("uniform", () -> Tensor.uniform(new Rng(1), DType.F32, Double.NaN, 1, 2));
        LayoutProperties.assertNamesOp("uniform", () -> Tensor.uniform(new Rng(1), DType.F32, 0, Double.POSITIVE_INFINITY, 2));
    }

    @Example
    void negativeDimensionsAreRejected() {
        assertThrows(ShapeException.class, () -> Tensor.zeros(DType.F32, 2, -1));
        assertThrows(ShapeException.class, () -> Tensor.arange(DType.F32, -1));
        assertThrows(ShapeException.class, () -> Tensor.eye(DType.F32, -1));
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shape(0, 4);
    }

    /** Tensor.of without dims makes a 1-D tensor, so a rank-0 shape cannot be requested from it. */
    @Provide
    Arbitrary<int[]> nonScalarShapes() {
        return ShapeArbitraries.shape(1, 4);
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
