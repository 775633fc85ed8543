package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.ConvGeometry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * unfold (im2col), fold (col2im) and 2-D pooling against loops over every output position and
 * kernel tap, for random kernel size, stride, padding and dilation.
 */
class PatchesProperties {

    /** An [N, C, H, W] input and a geometry whose windows fit it. */
    record Case(int n, int c, int h, int w, ConvGeometry g) {
        int[] dims() {
            return new int[] {n, c, h, w};
        }

        int outH() {
            return (h + 2 * g.padH() - g.dilationH() * (g.kernelH() - 1) - 1) / g.strideH() + 1;
        }

        int outW() {
            return (w + 2 * g.padW() - g.dilationW() * (g.kernelW() - 1) - 1) / g.strideW() + 1;
        }

        /** Input row of output row oy and kernel row ki (may fall in the padding). */
        int inY(int oy, int ki) {
            return oy * g.strideH() - g.padH() + ki * g.dilationH();
        }

        int inX(int ox, int kj) {
            return ox * g.strideW() - g.padW() + kj * g.dilationW();
        }

        boolean inside(int y, int x) {
            return y >= 0 && y < h && x >= 0 && x < w;
        }
    }

    @Property(tries = 300)
    void unfoldCopiesEveryKernelTapOfEveryWindowAndFoldIsItsAdjoint(@ForAll("cases") Case c,
            @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = TestTensors.random(dtype, c.dims(), seed);
        NaiveTensor nx = NaiveTensor.of(x);
        ConvGeometry g = c.g();
        int rows = c.c() * g.kernelH() * g.kernelW();
        int l = c.outH() * c.outW();
        NaiveTensor expected = new NaiveTensor(c.n(), rows, l);
        for (int n = 0; n < c.n(); n++) {
            for (int ch = 0; ch < c.c(); ch++) {
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        for (int oy = 0; oy < c.outH(); oy++) {
                            for (int ox = 0; ox < c.outW(); ox++) {
                                int y = c.inY(oy, ki);
                                int xx = c.inX(ox, kj);
                                double v = c.inside(y, xx) ? nx.get(n, ch, y, xx) : 0;
                                expected.set(new int[] {n, (ch * g.kernelH() + ki) * g.kernelW() + kj, oy * c.outW() + ox}, v);
                            }
                        }
                    }
                }
            }
        }
        Tensor cols = x.unfold(g);
        TestTensors.assertClose(cols, expected, 0, 0);

        Tensor y = TestTensors.random(dtype, expected.dims, seed + 1);
        Tensor folded = y.fold(c.h(), c.w(), g);
        assertEquals(x.shape(), folded.shape());
        TestTensors.assertAdjoint(cols.dot(y), x.dot(folded), TestTensors.absDot(cols, y), y.size(), dtype);
    }

    @Property(tries = 300)
    void maxPoolTakesTheFirstLargestValidTapOfEachWindow(@ForAll("cases") Case c, @ForAll("floating") DType dtype,
            @ForAll long seed) {
        checkMaxPool(c, dtype, seed);
    }

    /** 2x2 windows with stride 2 have a path of their own in the kernels. */
    @Property(tries = 100)
    void maxPoolOverHalvingWindowsTakesTheFirstLargestTap(@ForAll @IntRange(max = 2) int n,
            @ForAll @IntRange(max = 3) int channels, @ForAll @IntRange(min = 2, max = 9) int h,
            @ForAll @IntRange(min = 2, max = 9) int w, @ForAll("floating") DType dtype, @ForAll long seed) {
        checkMaxPool(new Case(n, channels, h, w, ConvGeometry.square(2, 2, 0, 1)), dtype, seed);
    }

    private static void checkMaxPool(Case c, DType dtype, long seed) {
        // Rounded values make ties common, so "first" is tested; NaN must win like in PyTorch.
        Tensor x = TestTensors.withSpecials(DType.F64, c.dims(), seed).mul(0.3).map(dev.hyperkron.core.kernels.UnaryOp.SIGN)
                .cast(dtype);
        ConvGeometry g = c.g();
        if (2 * g.padH() > g.kernelH() || 2 * g.padW() > g.kernelW()) {
            LayoutProperties.assertNamesOp("maxPool2d", () -> x.maxPool2d(g));
            return;
        }
        // A geometry with a window that sees only padding is refused, even for an empty batch.
        boolean someWindowEmpty = false;
        for (int oy = 0; oy < c.outH(); oy++) {
            for (int ox = 0; ox < c.outW(); ox++) {
                boolean seesInput = false;
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        seesInput |= c.inside(c.inY(oy, ki), c.inX(ox, kj));
                    }
                }
                someWindowEmpty |= !seesInput;
            }
        }
        NaiveTensor nx = NaiveTensor.of(x);
        NaiveTensor values = new NaiveTensor(c.n(), c.c(), c.outH(), c.outW());
        NaiveTensor indices = new NaiveTensor(values.dims);
        for (int i = 0; i < values.size(); i++) {
            int[] o = values.index(i);
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++) {
                    int y = c.inY(o[2], ki);
                    int xx = c.inX(o[3], kj);
                    if (!c.inside(y, xx)) {
                        continue;
                    }
                    double v = nx.get(o[0], o[1], y, xx);
                    if (best < 0 || !Double.isNaN(bestValue) && (v > bestValue || Double.isNaN(v))) {
                        best = y * c.w() + xx;
                        bestValue = v;
                    }
                }
            }
            values.data[i] = bestValue;
            indices.data[i] = best;
        }
        if (someWindowEmpty) {
            LayoutProperties.assertNamesOp("maxPool2d", () -> x.maxPool2d(g));
            LayoutProperties.assertNamesOp("maxPool2d", () -> x.maxPool2dIndices(g));
            return;
        }
        TestTensors.assertClose(x.maxPool2d(g), values, 0, 0);
        Tensor idx = x.maxPool2dIndices(g);
        assertEquals(DType.I64, idx.dtype());
        TestTensors.assertClose(idx, indices, 0, 0);
    }

    @Property(tries = 300)
    void avgPoolAveragesAllTapsCountingPaddedZeros(@ForAll("cases") Case c, @ForAll("floating") DType dtype,
            @ForAll long seed) {
        Tensor x = TestTensors.random(dtype, c.dims(), seed);
        NaiveTensor nx = NaiveTensor.of(x);
        ConvGeometry g = c.g();
        NaiveTensor expected = new NaiveTensor(c.n(), c.c(), c.outH(), c.outW());
        NaiveTensor scale = new NaiveTensor(expected.dims);
        int taps = g.kernelH() * g.kernelW();
        for (int i = 0; i < expected.size(); i++) {
            int[] o = expected.index(i);
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++) {
                    int y = c.inY(o[2], ki);
                    int xx = c.inX(o[3], kj);
                    double v = c.inside(y, xx) ? nx.get(o[0], o[1], y, xx) : 0;
                    expected.data[i] += v / taps;
                    scale.data[i] += Math.abs(v) / taps;
                }
            }
        }
        TestTensors.assertCloseScaled(x.avgPool2d(g), expected, scale, (taps + 4) * TestTensors.eps(dtype));
    }

    @Example
    void poolingAndUnfoldAboveTheParallelThresholdsMatchPerImageResults() {
        ConvGeometry g = new ConvGeometry(3, 2, 2, 1, 1, 1, 1, 2);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = TestTensors.random(dtype, new int[] {6, 4, 40, 37}, 5);
            Tensor cols = x.unfold(g);
            Tensor max = x.maxPool2d(g);
            Tensor avg = x.avgPool2d(g);
            for (int n = 0; n < 6; n++) {
                Tensor image = x.slice(0, n, n + 1);
                TestTensors.assertIdentical(image.unfold(g), cols.slice(0, n, n + 1));
                TestTensors.assertIdentical(image.maxPool2d(g), max.slice(0, n, n + 1));
                TestTensors.assertIdentical(image.avgPool2d(g), avg.slice(0, n, n + 1));
            }
        }
    }

    @Example
    void maxPoolRejectsAWindowThatSeesOnlyPadding() {
        // Width 2, kernel 2 dilated by 3, padding 1: the one window's taps land at -1 and 2.
        ConvGeometry g = new ConvGeometry(1, 2, 1, 1, 0, 1, 1, 3);
        Tensor x = Tensor.ones(DType.F32, 1, 1, 1, 2);
        LayoutProperties.assertNamesOp("maxPool2d", () -> x.maxPool2d(g));
        LayoutProperties.assertNamesOp("maxPool2d", () -> x.maxPool2dIndices(g));
        TestTensors.assertClose(x.avgPool2d(g), new NaiveTensor(new int[] {1, 1, 1, 1}, new double[] {0}), 0, 0);
    }

    @Example
    void poolingAnEmptyBatchGivesAnEmptyResult() {
        ConvGeometry g = ConvGeometry.square(2, 2, 0, 1);
        for (int[] dims : new int[][] {{0, 3, 4, 4}, {2, 0, 4, 4}}) {
            Tensor x = Tensor.zeros(DType.F32, dims);
            assertEquals(Shape.of(dims[0], dims[1], 2, 2), x.maxPool2d(g).shape());
            assertEquals(Shape.of(dims[0], dims[1], 2, 2), x.maxPool2dIndices(g).shape());
            assertEquals(Shape.of(dims[0], dims[1], 2, 2), x.avgPool2d(g).shape());
        }
    }

    @Example
    void badInputsAreRejectedNamingTheOp() {
        ConvGeometry g = ConvGeometry.square(3, 1, 0, 1);
        Tensor small = Tensor.zeros(DType.F32, 1, 1, 2, 5);
        LayoutProperties.assertNamesOp("unfold", () -> small.unfold(g));
        LayoutProperties.assertNamesOp("maxPool2d", () -> small.maxPool2d(g));
        LayoutProperties.assertNamesOp("avgPool2d", () -> small.avgPool2d(g));
        Tensor flat = Tensor.zeros(DType.F32, 3, 5, 5);
        LayoutProperties.assertNamesOp("unfold", () -> flat.unfold(g));
        LayoutProperties.assertNamesOp("maxPool2d", () -> flat.maxPool2d(g));
        LayoutProperties.assertNamesOp("avgPool2d", () -> flat.avgPool2d(g));
        Tensor ints = Tensor.zeros(DType.I64, 1, 1, 5, 5);
        LayoutProperties.assertNamesOp("unfold", () -> ints.unfold(g));
        LayoutProperties.assertNamesOp("maxPool2d", () -> ints.maxPool2d(g));
        LayoutProperties.assertNamesOp("avgPool2d", () -> ints.avgPool2d(g));
        Tensor cols = Tensor.zeros(DType.F32, 1, 9, 4);
        LayoutProperties.assertNamesOp("fold", () -> cols.fold(5, 5, g));
        LayoutProperties.assertNamesOp("fold", () -> cols.fold(2, 2, g));
        LayoutProperties.assertNamesOp("fold", () -> Tensor.zeros(DType.F32, 1, 8, 9).fold(5, 5, g));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.unfold(g));
        assertTrue(e.getMessage().contains("[1, 1, 2, 5]"), e.getMessage());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ConvGeometry> geometry = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2))
                .as(ConvGeometry::new);
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 7), geometry)
                .as(Case::new)
                .filter(c -> c.h() + 2 * c.g().padH() >= c.g().dilationH() * (c.g().kernelH() - 1) + 1
                        && c.w() + 2 * c.g().padW() >= c.g().dilationW() * (c.g().kernelW() - 1) + 1);
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }
}
