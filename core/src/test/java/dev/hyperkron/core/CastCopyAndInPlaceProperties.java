package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.Parallel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Conversions between dtypes, independence of copies, and the in-place ops optimizers use. */
class CastCopyAndInPlaceProperties {

    @Property(tries = 200)
    void castsRoundTripWhereTheTargetHoldsEveryValue(@ForAll("shapes") int[] dims, @ForAll long seed) {
        Tensor f32 = TestTensors.withSpecials(DType.F32, dims, seed);
        TestTensors.assertIdentical(f32, f32.cast(DType.F64).cast(DType.F32));
        Tensor f64 = TestTensors.withSpecials(DType.F64, dims, seed);
        NaiveTensor rounded = NaiveTensor.of(f64).roundedTo(DType.F32);
        TestTensors.assertClose(f64.cast(DType.F32), rounded, 0, 0);
        Tensor ints = signedInts(dims, seed);
        TestTensors.assertIdentical(ints, ints.cast(DType.F64).cast(DType.I64));
        TestTensors.assertIdentical(ints, ints.cast(DType.F32).cast(DType.I64));
        TestTensors.assertIdentical(ints, ints.cast(DType.I32).cast(DType.I64));
        assertSame(f32, f32.cast(DType.F32));
    }

    /** I64 values in (-2^24, 2^24), which F32 holds exactly. */
    private static Tensor signedInts(int[] dims, long seed) {
        Tensor t = TestTensors.indices(dims, 1 << 25, seed);
        for (int i = 0; i < t.size(); i++) {
            t.storage().setLong(i, t.storage().getLong(i) - (1 << 24) + 1);
        }
        return t;
    }

    @Property(tries = 200)
    void castToIntegersTruncatesTowardZero(@ForAll("shapes") int[] dims, @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = TestTensors.random(dtype, dims, seed);
        NaiveTensor expected = NaiveTensor.map(NaiveTensor.of(x), v -> (double) (long) v);
        Tensor i64 = x.cast(DType.I64);
        assertEquals(DType.I64, i64.dtype());
        TestTensors.assertClose(i64, expected, 0, 0);
        TestTensors.assertClose(x.cast(DType.I32), expected, 0, 0);
    }

    @Property(tries = 100)
    void arrayExportsConvertAndCopy(@ForAll("shapes") int[] dims, @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = TestTensors.random(dtype, dims, seed);
        double[] d = x.toDoubleArray();
        float[] f = x.toFloatArray();
        long[] l = x.toLongArray();
        int[] in = x.toIntArray();
        for (int i = 0; i < x.size(); i++) {
            double v = x.storage().getDouble(i);
            assertEquals(v, d[i]);
            assertEquals((float) v, f[i]);
            assertEquals((long) v, l[i]);
            assertEquals((int) v, in[i]);
        }
        if (x.size() > 0) {
            double before = x.storage().getDouble(0);
            d[0] = before + 1;
            f[0] = (float) before + 1;
            assertEquals(before, x.storage().getDouble(0));
        }
    }

    @Property(tries = 100)
    void aCopyIsIndependentOfItsSource(@ForAll("shapes") int[] dims, @ForAll long seed) {
        Tensor x = LayoutProperties.anyTensor(dims, seed);
        Tensor snapshot = x.copy();
        Tensor copy = x.copy();
        TestTensors.assertIdentical(x, copy);
        copy.fillInPlace(7);
        TestTensors.assertIdentical(snapshot, x);
        x.fillInPlace(3);
        for (int i = 0; i < copy.size(); i++) {
            assertEquals(7, copy.storage().getDouble(i));
        }
    }

    @Property(tries = 300)
    void inPlaceOpsComputeTheirDefinitionOnTheReceiver(@ForAll("shapes") int[] dims, @ForAll("floating") DType dtype,
            @ForAll long seed, @ForAll @DoubleRange(min = -3, max = 3) double alpha) {
        Tensor x = TestTensors.random(dtype, dims, seed);
        Tensor y = TestTensors.random(dtype, dims, seed + 1);
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor ny = NaiveTensor.of(y);
        double eps = TestTensors.eps(dtype);
        double a = dtype == DType.F32 ? (float) alpha : alpha;

        Tensor sum = y.copy();
        assertSame(sum, sum.addInPlace(x));
        TestTensors.assertClose(sum, NaiveTensor.zip(ny, nx, Double::sum).roundedTo(dtype), 0, 0);

        Tensor axpy = y.copy();
        assertSame(axpy, axpy.axpyInPlace(alpha, x));
        NaiveTensor scale = NaiveTensor.zip(ny, nx, (v, w) -> Math.abs(v) + Math.abs(a * w));
        TestTensors.assertCloseScaled(axpy, NaiveTensor.zip(ny, nx, (v, w) -> v + a * w), scale, 2 * eps);

        Tensor scaled = x.copy();
        assertSame(scaled, scaled.scaleInPlace(alpha));
        TestTensors.assertClose(scaled, NaiveTensor.map(nx, v -> a * v).roundedTo(dtype), 0, 0);

        Tensor copied = Tensor.zeros(dtype, dims);
        assertSame(copied, copied.copyFromInPlace(x));
        TestTensors.assertIdentical(x, copied);

        Tensor filled = x.copy();
        assertSame(filled, filled.fillInPlace(alpha));
        TestTensors.assertClose(filled, NaiveTensor.map(nx, v -> a), 0, 0);

        double dot = x.dot(y);
        assertEquals(nx.dot(ny), dot, (x.size() + 2) * eps * TestTensors.absDot(x, y) + Double.MIN_NORMAL);
        TestTensors.assertIdentical(NaiveTensor.of(x).toTensor(dtype), x);
    }

    // Large tensors split the in-place loops over the worker pool: the same numbers at every thread count.
    @Property(tries = 8)
    void inPlaceOpsOnLargeTensorsDoNotDependOnTheThreadCount(@ForAll @IntRange(min = 1 << 15, max = 1 << 17) int size,
            @ForAll("floating") DType dtype, @ForAll long seed, @ForAll @DoubleRange(min = -3, max = 3) double alpha) {
        Tensor x = TestTensors.random(dtype, new int[] {size}, seed);
        Tensor y = TestTensors.random(dtype, new int[] {size}, seed + 1);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor axpy = y.copy().axpyInPlace(alpha, x);
            Tensor scaled = y.copy().scaleInPlace(alpha);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                TestTensors.assertIdentical(axpy, y.copy().axpyInPlace(alpha, x));
                TestTensors.assertIdentical(scaled, y.copy().scaleInPlace(alpha));
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Property(tries = 50)
    void arithmeticResultsNeverShareStorageWithTheirOperands(@ForAll("shapes") int[] dims, @ForAll("floating") DType dtype,
            @ForAll long seed) {
        Tensor x = TestTensors.random(dtype, dims, seed);
        Tensor[] results = {
            x.neg(), x.exp(), x.add(x), x.mul(1.0), x.add(Tensor.scalar(dtype, 0)), x.clamp(-1e300, 1e300),
            Tensor.where(x.gt(0), x, x), x.sum(new int[0], false), x.max(new int[0], true), x.min(new int[0], false),
            x.mean(new int[0], false), x.logsumexp(new int[0], false), x.copy(),
        };
        for (Tensor r : results) {
            assertTrue(r.storage() != x.storage() && r.storage().array() != x.storage().array(), r::toString);
        }
    }

    @Example
    void inPlaceOpsOnLargeTensorsMatchTheLoop() {
        int n = 3 * Strided.PARALLEL_THRESHOLD + 5;
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = TestTensors.random(dtype, new int[] {n}, 1);
            Tensor y = TestTensors.random(dtype, new int[] {n}, 2);
            NaiveTensor nx = NaiveTensor.of(x);
            NaiveTensor ny = NaiveTensor.of(y);
            double eps = TestTensors.eps(dtype);
            double a = dtype == DType.F32 ? (float) 0.37 : 0.37;
            Tensor axpy = y.copy().axpyInPlace(0.37, x);
            TestTensors.assertCloseScaled(axpy, NaiveTensor.zip(ny, nx, (v, w) -> v + a * w),
                    NaiveTensor.zip(ny, nx, (v, w) -> Math.abs(v) + Math.abs(a * w)), 2 * eps);
            assertEquals(nx.dot(ny), x.dot(y), (n + 2) * eps * TestTensors.absDot(x, y));
        }
    }

    @Example
    void inPlaceOpsRejectMismatchedOperandsNamingTheOp() {
        Tensor a = Tensor.zeros(DType.F32, 2, 3);
        Tensor b = Tensor.zeros(DType.F32, 3, 2);
        Tensor c = Tensor.zeros(DType.F64, 2, 3);
        Tensor ints = Tensor.zeros(DType.I64, 2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> a.addInPlace(b));
        BinaryOpProperties.assertMessageNames(e, "axpyInPlace", new int[] {2, 3}, new int[] {3, 2});
        LayoutProperties.assertNamesOp("axpyInPlace", () -> a.axpyInPlace(2, c));
        LayoutProperties.assertNamesOp("copyFromInPlace", () -> a.copyFromInPlace(b));
        LayoutProperties.assertNamesOp("copyFromInPlace", () -> a.copyFromInPlace(c));
        LayoutProperties.assertNamesOp("dot", () -> a.dot(b));
        LayoutProperties.assertNamesOp("dot", () -> a.dot(c));
        LayoutProperties.assertNamesOp("axpyInPlace", () -> ints.axpyInPlace(1, ints));
        LayoutProperties.assertNamesOp("scaleInPlace", () -> ints.scaleInPlace(2));
        LayoutProperties.assertNamesOp("dot", () -> ints.dot(ints));
        assertTrue(ints.fillInPlace(4).equals(Tensor.full(DType.I64, 4, 2, 3)));
        assertTrue(ints.copyFromInPlace(Tensor.full(DType.I64, 5, 2, 3)).equals(Tensor.full(DType.I64, 5, 2, 3)));
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shape(0, 4);
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
