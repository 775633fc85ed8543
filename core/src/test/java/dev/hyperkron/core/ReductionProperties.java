package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.ShapeArbitraries.Axes;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Reductions over any subset of axes (negative, all, none; with and without keepDims), the
 * softmax family and sumTo, each against a loop over all elements of the input.
 */
class ReductionProperties {

    /** A shape with a subset of its axes to reduce and whether to keep them. */
    record Case(int[] dims, Axes axes, boolean keepDims) {
        @Override
        public String toString() {
            return Arrays.toString(dims) + " over " + axes + (keepDims ? " keeping dims" : "");
        }
    }

    enum Reduction {
        SUM, MEAN, MAX, MIN, LOGSUMEXP, VARIANCE;

        final String opName = name().toLowerCase(java.util.Locale.ROOT);

        Tensor apply(Tensor x, int[] axes, boolean keepDims) {
            return switch (this) {
                case SUM -> x.sum(axes, keepDims);
                case MEAN -> x.mean(axes, keepDims);
                case MAX -> x.max(axes, keepDims);
                case MIN -> x.min(axes, keepDims);
                case LOGSUMEXP -> x.logsumexp(axes, keepDims);
                case VARIANCE -> x.variance(axes, keepDims);
            };
        }

        /** Max and min have no value over zero elements, so they reject an empty reduction with a non-empty result. */
        boolean undefinedWhenEmpty() {
            return this == MAX || this == MIN;
        }
    }

    @Property(tries = 600)
    void reductionsOverAnySubsetOfAxesMatchALoopOverAllElements(@ForAll Reduction op, @ForAll("cases") Case c,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = op == Reduction.VARIANCE ? TestTensors.random(dtype, c.dims, seed)
                : TestTensors.withSpecials(dtype, c.dims, seed);
        NaiveTensor nx = NaiveTensor.of(x);
        boolean[] flags = c.axes.flags();
        int count = nx.reducedCount(flags);
        int[] outDims = NaiveTensor.reducedDims(c.dims, flags, c.keepDims);
        if (op.undefinedWhenEmpty() && count == 0 && NaiveTensor.sizeOf(outDims) > 0) {
            ShapeException e = assertThrows(ShapeException.class, () -> op.apply(x, c.axes.axes(), c.keepDims));
            assertTrue(e.getMessage().startsWith(op.opName + ":") && e.getMessage().contains("empty"), e.getMessage());
            return;
        }
        Tensor out = op.apply(x, c.axes.axes(), c.keepDims);
        assertEquals(dtype, out.dtype());
        double eps = TestTensors.eps(dtype);
        NaiveTensor abs = NaiveTensor.map(nx, Math::abs);
        switch (op) {
            case SUM -> TestTensors.assertCloseScaled(out, nx.reduce(flags, c.keepDims, 0, Double::sum),
                    abs.reduce(flags, c.keepDims, 0, Double::sum), (count + 2) * eps);
            case MEAN -> TestTensors.assertCloseScaled(out,
                    NaiveTensor.map(nx.reduce(flags, c.keepDims, 0, Double::sum), s -> s / count),
                    NaiveTensor.map(abs.reduce(flags, c.keepDims, 0, Double::sum), s -> s / count), (count + 4) * eps);
            case MAX -> TestTensors.assertClose(out, nx.reduce(flags, c.keepDims, Double.NEGATIVE_INFINITY, Math::max), 0, 0);
            case MIN -> TestTensors.assertClose(out, nx.reduce(flags, c.keepDims, Double.POSITIVE_INFINITY, Math::min), 0, 0);
            case LOGSUMEXP -> assertLogsumexp(out, nx, flags, c.keepDims, eps);
            case VARIANCE -> assertVariance(out, nx, flags, c.keepDims, eps);
        }
    }

    private static void assertLogsumexp(Tensor out, NaiveTensor x, boolean[] flags, boolean keepDims, double eps) {
        NaiveTensor max = x.reduce(flags, keepDims, Double.NEGATIVE_INFINITY, Math::max);
        NaiveTensor expSum = new NaiveTensor(max.dims);
        for (int i = 0; i < x.size(); i++) {
            int o = max.flat(NaiveTensor.reducedIndex(x.index(i), flags, keepDims));
            double m = max.data[o];
            expSum.data[o] += Double.isInfinite(m) ? Math.exp(x.data[i]) : Math.exp(x.data[i] - m);
        }
        NaiveTensor expected = new NaiveTensor(max.dims);
        NaiveTensor scale = new NaiveTensor(max.dims);
        for (int o = 0; o < expected.size(); o++) {
            double m = max.data[o];
            expected.data[o] = Double.isInfinite(m) ? Math.log(expSum.data[o]) : m + Math.log(expSum.data[o]);
            scale.data[o] = Math.abs(m) + 1 + Math.abs(Math.log(expSum.data[o]));
        }
        TestTensors.assertCloseScaled(out, expected, scale, 16 * eps);
    }

    private static void assertVariance(Tensor out, NaiveTensor x, boolean[] flags, boolean keepDims, double eps) {
        int count = x.reducedCount(flags);
        NaiveTensor mean = NaiveTensor.map(x.reduce(flags, keepDims, 0, Double::sum), s -> s / count);
        NaiveTensor squares = new NaiveTensor(mean.dims);
        NaiveTensor scale = new NaiveTensor(mean.dims);
        for (int i = 0; i < x.size(); i++) {
            int o = mean.flat(NaiveTensor.reducedIndex(x.index(i), flags, keepDims));
            double d = x.data[i] - mean.data[o];
            squares.data[o] += d * d / count;
            scale.data[o] += x.data[i] * x.data[i] / count;
        }
        if (count == 0) {
            java.util.Arrays.fill(squares.data, Double.NaN); // the mean of no elements, as in NumPy
        }
        TestTensors.assertCloseScaled(out, squares, scale, 4 * (count + 4) * eps);
    }

    @Property(tries = 100)
    void singleAxisAndWholeTensorVariantsEqualTheAxesForm(@ForAll("nonEmpty") int[] dims, @ForAll("floating") DType dtype,
            @ForAll long seed, @ForAll boolean keepDims, @ForAll int axisSeed) {
        Tensor x = TestTensors.random(dtype, dims, seed);
        int[] all = new int[dims.length];
        Arrays.setAll(all, i -> i);
        TestTensors.assertIdentical(x.sum(all, false), x.sum());
        TestTensors.assertIdentical(x.mean(all, false), x.mean());
        TestTensors.assertIdentical(x.max(all, false), x.max());
        TestTensors.assertIdentical(x.min(all, false), x.min());
        assertEquals(0, x.sum().rank());
        if (dims.length > 0) {
            int axis = Math.floorMod(axisSeed, 2 * dims.length) - dims.length;
            int[] one = {axis};
            TestTensors.assertIdentical(x.sum(one, keepDims), x.sum(axis, keepDims));
            TestTensors.assertIdentical(x.mean(one, keepDims), x.mean(axis, keepDims));
            TestTensors.assertIdentical(x.max(one, keepDims), x.max(axis, keepDims));
            TestTensors.assertIdentical(x.min(one, keepDims), x.min(axis, keepDims));
            TestTensors.assertIdentical(x.logsumexp(one, keepDims), x.logsumexp(axis, keepDims));
        }
    }

    @Property(tries = 300)
    void argmaxIsTheFirstIndexOfTheMaximumAndNaNWins(@ForAll("shapes") int[] dims, @ForAll int axisSeed,
            @ForAll boolean keepDims, @ForAll long seed, @ForAll boolean integers) {
        if (dims.length == 0) {
            dims = new int[] {1};
        }
        int axis = Math.floorMod(axisSeed, 2 * dims.length) - dims.length;
        int a = Math.floorMod(axis, dims.length);
        // Small integers make ties common; integer tensors (labels) are allowed too.
        Tensor x = integers ? TestTensors.indices(dims, 3, seed)
                : TestTensors.withSpecials(DType.F64, dims, seed).mul(0.3).map(dev.hyperkron.core.kernels.UnaryOp.SIGN);
        NaiveTensor nx = NaiveTensor.of(x);
        boolean[] flags = new boolean[dims.length];
        flags[a] = true;
        int[] outDims = NaiveTensor.reducedDims(dims, flags, keepDims);
        if (dims[a] == 0 && NaiveTensor.sizeOf(outDims) > 0) {
            Tensor input = x;
            ShapeException e = assertThrows(ShapeException.class, () -> input.argmax(axis, keepDims));
            assertTrue(e.getMessage().startsWith("argmax:"), e.getMessage());
            return;
        }
        NaiveTensor expected = new NaiveTensor(outDims);
        NaiveTensor best = new NaiveTensor(outDims);
        Arrays.fill(best.data, Double.NEGATIVE_INFINITY);
        Arrays.fill(expected.data, -1);
        for (int i = 0; i < nx.size(); i++) {
            int[] idx = nx.index(i);
            int o = expected.flat(NaiveTensor.reducedIndex(idx, flags, keepDims));
            double v = nx.data[i];
            boolean bestIsNaN = Double.isNaN(best.data[o]);
            if (expected.data[o] < 0 || !bestIsNaN && (v > best.data[o] || Double.isNaN(v))) {
                expected.data[o] = idx[a];
                best.data[o] = v;
            }
        }
        Tensor out = x.argmax(axis, keepDims);
        assertEquals(DType.I64, out.dtype());
        TestTensors.assertClose(out, expected, 0, 0);
        if (!keepDims) {
            assertEquals(out, x.argmax(axis)); // the one-argument form drops the axis
        }
    }

    @Property(tries = 300)
    void softmaxIsExpOverItsSumAndLogSoftmaxIsXMinusLogsumexp(@ForAll("nonEmpty") int[] dims, @ForAll int axisSeed,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        if (dims.length == 0) {
            dims = new int[] {1};
        }
        int axis = Math.floorMod(axisSeed, 2 * dims.length) - dims.length;
        boolean[] flags = new boolean[dims.length];
        flags[Math.floorMod(axis, dims.length)] = true;
        Tensor x = TestTensors.random(dtype, dims, seed);
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor max = nx.reduce(flags, true, Double.NEGATIVE_INFINITY, Math::max);
        NaiveTensor sum = new NaiveTensor(max.dims);
        for (int i = 0; i < nx.size(); i++) {
            int o = max.flat(NaiveTensor.reducedIndex(nx.index(i), flags, true));
            sum.data[o] += Math.exp(nx.data[i] - max.data[o]);
        }
        NaiveTensor softmax = new NaiveTensor(dims);
        NaiveTensor logSoftmax = new NaiveTensor(dims);
        NaiveTensor logScale = new NaiveTensor(dims);
        NaiveTensor softScale = new NaiveTensor(dims);
        for (int i = 0; i < nx.size(); i++) {
            int o = max.flat(NaiveTensor.reducedIndex(nx.index(i), flags, true));
            softmax.data[i] = Math.exp(nx.data[i] - max.data[o]) / sum.data[o];
            logSoftmax.data[i] = nx.data[i] - max.data[o] - Math.log(sum.data[o]);
            logScale.data[i] = Math.abs(nx.data[i]) + Math.abs(max.data[o]) + 1 + Math.log(sum.data[o]);
            // x - max is rounded in the tensor's type, and exp turns that absolute error into a relative one.
            softScale.data[i] = softmax.data[i] * (8 + Math.abs(nx.data[i] - max.data[o]));
        }
        double eps = TestTensors.eps(dtype);
        Tensor s = x.softmax(axis);
        TestTensors.assertCloseScaled(s, softmax, softScale, 4 * eps);
        TestTensors.assertCloseScaled(x.logSoftmax(axis), logSoftmax, logScale, 16 * eps);
        NaiveTensor rowSums = NaiveTensor.of(s).reduce(flags, true, 0, Double::sum);
        TestTensors.assertClose(Tensor.ones(DType.F64, rowSums.dims), rowSums, 0, 8 * dims[Math.floorMod(axis, dims.length)] * eps);
    }

    @Example
    void softmaxAndLogSoftmaxAreStableForHugeAndMinusInfiniteInputs() {
        double inf = Double.POSITIVE_INFINITY;
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.of(new double[] {1e4, 1e4 - 1, -inf, -1e4, -1e4 + 2, -inf}, 2, 3).cast(dtype);
            double e1 = Math.exp(-1);
            double e2 = Math.exp(-2);
            NaiveTensor softmax = new NaiveTensor(new int[] {2, 3},
                    new double[] {1 / (1 + e1), e1 / (1 + e1), 0, e2 / (1 + e2), 1 / (1 + e2), 0});
            TestTensors.assertClose(x.softmax(1), softmax, 1e-6, 0);
            double l1 = Math.log1p(e1);
            double l2 = Math.log1p(e2);
            NaiveTensor logSoftmax = new NaiveTensor(new int[] {2, 3}, new double[] {-l1, -1 - l1, -inf, -2 - l2, -l2, -inf});
            TestTensors.assertClose(x.logSoftmax(1), logSoftmax, 0, 1e-3);
            NaiveTensor lse = new NaiveTensor(new int[] {2}, new double[] {1e4 + l1, -1e4 + 2 + l2});
            TestTensors.assertClose(x.logsumexp(1, false), lse, 1e-6, 0);
            Tensor allMinusInf = Tensor.full(dtype, -inf, 2, 3);
            TestTensors.assertClose(allMinusInf.logsumexp(1, false), new NaiveTensor(new int[] {2}, new double[] {-inf, -inf}), 0, 0);
        }
    }

    @Property(tries = 300)
    void sumToSumsTheBroadcastDimensionsAndIsTheAdjointOfExpand(@ForAll("pairs") int[][] shapes,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        int[] target = shapes[0];
        int[] source = NaiveTensor.broadcastDims(shapes[0], shapes[1]);
        Tensor y = TestTensors.random(dtype, source, seed);
        NaiveTensor ny = NaiveTensor.of(y);
        NaiveTensor expected = new NaiveTensor(target);
        NaiveTensor scale = new NaiveTensor(target);
        for (int i = 0; i < ny.size(); i++) {
            int[] idx = ny.index(i);
            int[] t = new int[target.length];
            for (int k = 0; k < target.length; k++) {
                t[k] = target[k] == 1 ? 0 : idx[source.length - target.length + k];
            }
            expected.data[expected.flat(t)] += ny.data[i];
            scale.data[expected.flat(t)] += Math.abs(ny.data[i]);
        }
        double eps = TestTensors.eps(dtype);
        Tensor summed = y.sumTo(Shape.of(target));
        TestTensors.assertCloseScaled(summed, expected, scale, (ny.size() + 2) * eps);
        Tensor x = TestTensors.random(dtype, target, seed + 1);
        Tensor expanded = x.expand(Shape.of(source));
        TestTensors.assertAdjoint(expanded.dot(y), x.dot(summed), TestTensors.absDot(expanded, y), ny.size(), dtype);
    }

    @Property(tries = 100)
    void sumToRejectsATargetThatDoesNotBroadcast(@ForAll("incompatible") int[][] shapes) {
        Tensor x = Tensor.zeros(DType.F32, shapes[0]);
        ShapeException e = assertThrows(ShapeException.class, () -> x.sumTo(Shape.of(shapes[1])));
        BinaryOpProperties.assertMessageNames(e, "sumTo", shapes[0], shapes[1]);
    }

    @Property(tries = 200)
    void duplicateAndOutOfRangeAxesAreRejectedNamingTheOp(@ForAll Reduction op, @ForAll("nonEmpty") int[] dims,
            @ForAll int pick, @ForAll boolean duplicate) {
        int rank = dims.length;
        Tensor x = Tensor.zeros(DType.F64, dims);
        int[] axes;
        if (duplicate && rank > 0) {
            int a = Math.floorMod(pick, rank);
            axes = new int[] {a, a - rank};
        } else {
            axes = new int[] {Math.floorMod(pick, 2) == 0 ? rank + Math.floorMod(pick, 3) : -rank - 1 - Math.floorMod(pick, 3)};
        }
        ShapeException e = assertThrows(ShapeException.class, () -> op.apply(x, axes, false));
        String m = e.getMessage();
        assertTrue(m.startsWith(op.opName + ":") && m.contains("axis " + axes[axes.length - 1])
                && m.contains(Arrays.toString(dims)), m);
    }

    @Example
    void softmaxAndArgmaxRejectAnAxisOutOfRange() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        for (int axis : new int[] {2, -3}) {
            assertTrue(assertThrows(ShapeException.class, () -> x.softmax(axis)).getMessage().startsWith("softmax:"));
            assertTrue(assertThrows(ShapeException.class, () -> x.logSoftmax(axis)).getMessage().startsWith("logSoftmax:"));
            assertTrue(assertThrows(ShapeException.class, () -> x.argmax(axis, false)).getMessage().startsWith("argmax:"));
        }
    }

    @Example
    void integerTensorsAreRejectedByArithmeticReductionsWithTheirOwnName() {
        Tensor labels = Tensor.of(new long[] {1, 2, 3});
        int[] axes = {0};
        for (Reduction op : Reduction.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(labels, axes, false));
            assertTrue(e.getMessage().startsWith(op.opName + ":") && e.getMessage().contains("F32 or F64"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> labels.softmax(0)).getMessage().startsWith("softmax:"));
    }

    @Example
    void reductionsAboveTheParallelThresholdMatchTheLoop() {
        int[] dims = {40, 30, 60};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = TestTensors.random(dtype, dims, 7);
            NaiveTensor nx = NaiveTensor.of(x);
            NaiveTensor abs = NaiveTensor.map(nx, Math::abs);
            for (boolean[] flags : new boolean[][] {{true, false, false}, {false, true, false}, {false, false, true},
                    {true, false, true}, {true, true, true}, {false, false, false}}) {
                int[] axes = java.util.stream.IntStream.range(0, 3).filter(i -> flags[i]).toArray();
                int count = nx.reducedCount(flags);
                TestTensors.assertCloseScaled(x.sum(axes, true), nx.reduce(flags, true, 0, Double::sum),
                        abs.reduce(flags, true, 0, Double::sum), (count + 2) * TestTensors.eps(dtype));
                TestTensors.assertClose(x.max(axes, false), nx.reduce(flags, false, Double.NEGATIVE_INFINITY, Math::max), 0, 0);
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return ShapeArbitraries.shape(0, 4).flatMap(dims -> Combinators.combine(
                ShapeArbitraries.axesOf(dims.length), Arbitraries.of(true, false)).as((axes, keep) -> new Case(dims, axes, keep)));
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shape(0, 4);
    }

    @Provide
    Arbitrary<int[]> nonEmpty() {
        return ShapeArbitraries.nonEmptyShape(0, 4);
    }

    @Provide
    Arbitrary<int[][]> pairs() {
        return ShapeArbitraries.broadcastable(2);
    }

    @Provide
    Arbitrary<int[][]> incompatible() {
        return ShapeArbitraries.incompatiblePair();
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
