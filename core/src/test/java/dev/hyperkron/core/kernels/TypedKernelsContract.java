package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hyperkron.core.kernels.RandomValues.Mix;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * What every {@link TypedKernels} implementation must do, checked against naive double-precision
 * references built directly from the op definitions ({@link UnaryOp#apply}, {@link BinaryOp#apply},
 * {@link ReduceOp#combine}) and from the im2col definition, never from a kernel's own loops. Each
 * implementation runs this suite through a concrete subclass.
 *
 * <p>Tolerances: arithmetic, comparisons, selection, max/min, axpy and scale are exact in the
 * storage type (including signed zeros and NaN); transcendental functions may be
 * {@link #TRANSCENDENTAL_ULPS} ulps from the correctly rounded value; sums and dot products may
 * differ by the worst-case rounding error of any summation order.
 */
abstract class TypedKernelsContract<A> {
    /** Vector math (SVML) is accurate to a few ulps, not correctly rounded. */
    static final int TRANSCENDENTAL_ULPS = 4;
    /** Fills every element a kernel must not write. */
    static final double SENTINEL = -12345.0;
    /** Elements after each operand's range, to catch writes past its end. */
    static final int PAD = 3;

    abstract TypedKernels<A> kernels();

    abstract ArrayType<A> type();

    // ---------------------------------------------------------------- generators

    /** Empty, tiny, around every common lane count and unroll width, medium, and long runs. */
    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 3)),
                Tuple.of(4, Arbitraries.of(3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129)),
                Tuple.of(4, Arbitraries.integers().between(0, 300)),
                Tuple.of(1, Arbitraries.integers().between(1000, 9000)));
    }

    /** Reduced lengths: like {@link #lengths()} but long enough to cross a row block, short enough for 3-D shapes. */
    @Provide
    Arbitrary<Integer> reducedLengths() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 3)),
                Tuple.of(4, Arbitraries.of(7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65)),
                Tuple.of(4, Arbitraries.integers().between(0, 300)),
                Tuple.of(1, Arbitraries.integers().between(300, 700)));
    }

    /** Inner sizes: contiguous (1) and strided reductions, around common lane counts. */
    @Provide
    Arbitrary<Integer> innerSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 40)),
                Tuple.of(2, Arbitraries.of(7, 8, 9, 15, 16, 17, 31, 32, 33, 65)));
    }

    @Provide
    Arbitrary<Double> alphas() {
        return Arbitraries.oneOf(
                Arbitraries.of(0.0, 1.0, -1.0, 0.5, 1e-3, 1e30, Double.NaN),
                Arbitraries.doubles().between(-10, 10));
    }

    @Provide
    Arbitrary<ConvGeometry> geometries() {
        Arbitrary<Integer> kernel = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> stride = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> dilation = Arbitraries.integers().between(1, 3);
        return Combinators.combine(kernel, kernel, stride, stride, pad, pad, dilation, dilation)
                .as(ConvGeometry::new);
    }

    // ---------------------------------------------------------------- elementwise

    @Property
    void unaryMatchesItsScalarDefinition(@ForAll UnaryOp op, @ForAll("lengths") int n,
                                         @ForAll @IntRange(max = 9) int xOff, @ForAll @IntRange(max = 9) int outOff,
                                         @ForAll long seed) {
        double[] x = values(seed).padded(xOff, n, PAD, Mix.ANY, SENTINEL);
        A out = type().of(sentinels(outOff + n + PAD));
        kernels().unary(op, type().of(x), xOff, out, outOff, n);
        double[] got = type().values(out);
        for (int i = 0; i < n; i++) {
            double xi = x[xOff + i];
            expect(got[outOff + i], op.apply(xi), ulps(op), () -> op + "(" + xi + ")");
        }
        expectUntouched(got, outOff, n);
    }

    @Property(tries = 30)
    void unaryMayWriteOverItsInput(@ForAll UnaryOp op, @ForAll("lengths") int n, @ForAll long seed) {
        double[] x = values(seed).padded(0, n, 0, Mix.ANY, 0);
        A separate = type().of(new double[n]);
        kernels().unary(op, type().of(x), 0, separate, 0, n);
        A inPlace = type().of(x);
        kernels().unary(op, inPlace, 0, inPlace, 0, n);
        double[] expected = type().values(separate);
        double[] got = type().values(inPlace);
        for (int i = 0; i < n; i++) {
            int at = i;
            expect(got[i], expected[i], 0, () -> op + " in place at " + at);
        }
    }

    /** NaN, infinities and signed zeros must come out exactly, also from approximate vector math. */
    @Example
    void unaryIsExactAtSpecialValues() {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};
        int n = 67;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = specials[i % specials.length];
        }
        for (UnaryOp op : UnaryOp.values()) {
            A out = type().of(new double[n]);
            kernels().unary(op, type().of(x), 0, out, 0, n);
            double[] got = type().values(out);
            for (int i = 0; i < n; i++) {
                double xi = x[i];
                double exact = op.apply(xi);
                int ulps = isHalfInteger(exact) || !Double.isFinite(exact) ? 0 : ulps(op);
                expect(got[i], exact, ulps, () -> op + "(" + xi + ")");
            }
        }
    }

    @Property
    void binaryMatchesItsScalarDefinition(@ForAll BinaryOp op, @ForAll("lengths") int n,
                                          @ForAll @IntRange(max = 1) int aInc, @ForAll @IntRange(max = 1) int bInc,
                                          @ForAll @IntRange(max = 9) int aOff, @ForAll @IntRange(max = 9) int bOff,
                                          @ForAll @IntRange(max = 9) int outOff, @ForAll boolean ties,
                                          @ForAll long seed) {
        RandomValues rnd = values(seed);
        Mix mix = ties ? Mix.POOL : Mix.ANY;
        double[] a = rnd.padded(aOff, operandLength(n, aInc), PAD, mix, SENTINEL);
        double[] b = rnd.padded(bOff, operandLength(n, bInc), PAD, mix, SENTINEL);
        A out = type().of(sentinels(outOff + n + PAD));
        kernels().binary(op, type().of(a), aOff, aInc, type().of(b), bOff, bInc, out, outOff, n);
        double[] got = type().values(out);
        for (int i = 0; i < n; i++) {
            double ai = a[aOff + i * aInc];
            double bi = b[bOff + i * bInc];
            expect(got[outOff + i], op.apply(ai, bi), ulps(op), () -> op + "(" + ai + ", " + bi + ")");
        }
        expectUntouched(got, outOff, n);
    }

    @Property
    void selectTakesTheFirstOperandWhereTheConditionIsNonzero(
            @ForAll("lengths") int n, @ForAll @IntRange(max = 1) int cInc, @ForAll @IntRange(max = 1) int aInc,
            @ForAll @IntRange(max = 1) int bInc, @ForAll @IntRange(max = 9) int cOff, @ForAll @IntRange(max = 9) int aOff,
            @ForAll @IntRange(max = 9) int bOff, @ForAll @IntRange(max = 9) int outOff, @ForAll long seed) {
        RandomValues rnd = values(seed);
        double[] cond = rnd.padded(cOff, operandLength(n, cInc), PAD, Mix.POOL, SENTINEL);
        double[] a = rnd.padded(aOff, operandLength(n, aInc), PAD, Mix.ANY, SENTINEL);
        double[] b = rnd.padded(bOff, operandLength(n, bInc), PAD, Mix.ANY, SENTINEL);
        A out = type().of(sentinels(outOff + n + PAD));
        kernels().select(type().of(cond), cOff, cInc, type().of(a), aOff, aInc, type().of(b), bOff, bInc,
                out, outOff, n);
        double[] got = type().values(out);
        for (int i = 0; i < n; i++) {
            double ci = cond[cOff + i * cInc];
            double ai = a[aOff + i * aInc];
            double bi = b[bOff + i * bInc];
            expect(got[outOff + i], ci != 0 ? ai : bi, 0, () -> "where(" + ci + ", " + ai + ", " + bi + ")");
        }
        expectUntouched(got, outOff, n);
    }

    @Property
    void axpyAddsAScaledVector(@ForAll("lengths") int n, @ForAll("alphas") double alpha,
                               @ForAll @IntRange(max = 9) int xOff, @ForAll @IntRange(max = 9) int yOff,
                               @ForAll long seed) {
        RandomValues rnd = values(seed);
        double[] x = rnd.padded(xOff, n, PAD, Mix.ANY, SENTINEL);
        double[] y = rnd.padded(yOff, n, PAD, Mix.ANY, SENTINEL);
        A ys = type().of(y);
        kernels().axpy(alpha, type().of(x), xOff, ys, yOff, n);
        double[] got = type().values(ys);
        double al = type().round(alpha);
        for (int i = 0; i < n; i++) {
            double xi = x[xOff + i];
            double yi = y[yOff + i];
            // In the storage type: the product rounds, then the sum rounds (no fused multiply-add).
            expect(got[yOff + i], yi + type().round(al * xi), 0, () -> yi + " + " + al + " * " + xi);
        }
        expectUntouched(got, yOff, n);
    }

    @Property
    void scaleMultipliesInPlace(@ForAll("lengths") int n, @ForAll("alphas") double alpha,
                                @ForAll @IntRange(max = 9) int xOff, @ForAll long seed) {
        double[] x = values(seed).padded(xOff, n, PAD, Mix.ANY, SENTINEL);
        A xs = type().of(x);
        kernels().scale(alpha, xs, xOff, n);
        double[] got = type().values(xs);
        double al = type().round(alpha);
        for (int i = 0; i < n; i++) {
            double xi = x[xOff + i];
            expect(got[xOff + i], al * xi, 0, () -> al + " * " + xi);
        }
        expectUntouched(got, xOff, n);
    }

    // ---------------------------------------------------------------- reductions

    @Property
    void reduceMatchesItsScalarDefinition(@ForAll ReduceOp op, @ForAll @IntRange(max = 3) int outer,
                                          @ForAll("reducedLengths") int len, @ForAll("innerSizes") int inner,
                                          @ForAll @IntRange(max = 9) int xOff, @ForAll @IntRange(max = 9) int outOff,
                                          @ForAll boolean integers, @ForAll long seed) {
        checkReduce(op, outer, len, inner, xOff, outOff, integers, seed);
    }

    /** Long rows cross the blocks (and the threads) a kernel may split a contiguous reduction into. */
    @Property(tries = 8)
    void reduceOfLongRowsMatchesItsScalarDefinition(@ForAll ReduceOp op, @ForAll @IntRange(min = 1, max = 2) int outer,
                                                    @ForAll @IntRange(min = 4000, max = 140_000) int len,
                                                    @ForAll long seed) {
        checkReduce(op, outer, len, 1, 1, 2, true, seed);
    }

    /** Many rows of wide slices cross the row blocks and column tiles of a strided reduction. */
    @Property(tries = 8)
    void reduceOfWideColumnsMatchesItsScalarDefinition(@ForAll ReduceOp op, @ForAll @IntRange(min = 1, max = 2) int outer,
                                                       @ForAll @IntRange(min = 250, max = 700) int len,
                                                       @ForAll @IntRange(min = 900, max = 2500) int inner,
                                                       @ForAll long seed) {
        checkReduce(op, outer, len, inner, 3, 1, true, seed);
    }

    /**
     * With {@code integers}, sums see small integers, whose sums are exact in any order (so a lost or
     * repeated element shows); otherwise values whose partial sums cannot overflow in any order.
     * Max and min always see the whole line.
     */
    private void checkReduce(ReduceOp op, int outer, int len, int inner, int xOff, int outOff, boolean integers,
                             long seed) {
        Mix mix = op != ReduceOp.SUM ? Mix.ANY : integers ? Mix.SMALL_INTEGERS : Mix.MODERATE;
        double[] x = values(seed).padded(xOff, outer * len * inner, PAD, mix, SENTINEL);
        A out = type().of(sentinels(outOff + outer * inner + PAD));
        kernels().reduce(op, type().of(x), xOff, outer, len, inner, out, outOff);
        double[] got = type().values(out);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = op.identity();
                double magnitude = 0;
                for (int r = 0; r < len; r++) {
                    double v = x[xOff + (o * len + r) * inner + i];
                    acc = op.combine(acc, v);
                    magnitude += Math.abs(v);
                }
                int oo = o;
                int ii = i;
                Supplier<String> what = () -> op + " over [" + outer + ", " + len + ", " + inner + "] at (" + oo + ", " + ii + ")";
                double actual = got[outOff + o * inner + i];
                if (op == ReduceOp.SUM) {
                    expectWithin(actual, acc, integers ? 0 : summationError(len, magnitude), what);
                } else {
                    expect(actual, acc, 0, what);
                }
            }
        }
        expectUntouched(got, outOff, outer * inner);
    }

    @Property
    void dotSumsProducts(@ForAll("lengths") int n, @ForAll @IntRange(max = 9) int aOff,
                         @ForAll @IntRange(max = 9) int bOff, @ForAll boolean integers, @ForAll long seed) {
        checkDot(n, aOff, bOff, integers, seed);
    }

    /** At most 2^18 products of integers in [-8, 8]: every partial sum is an exact integer below 2^24. */
    @Property(tries = 8)
    void dotOfLongVectorsSumsProducts(@ForAll @IntRange(min = 4000, max = 1 << 18) int n, @ForAll long seed) {
        checkDot(n, 1, 0, true, seed);
    }

    private void checkDot(int n, int aOff, int bOff, boolean integers, long seed) {
        RandomValues rnd = values(seed);
        Mix mix = integers ? Mix.SMALL_INTEGERS : Mix.MODERATE;
        double[] a = rnd.padded(aOff, n, PAD, mix, SENTINEL);
        double[] b = rnd.padded(bOff, n, PAD, mix, SENTINEL);
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            double p = a[aOff + i] * b[bOff + i];
            exact += p;
            magnitude += Math.abs(p);
        }
        double got = kernels().dot(type().of(a), aOff, type().of(b), bOff, n);
        // Products may round in the storage type too: one more rounding per term.
        double tolerance = integers ? 0 : 2 * summationError(n + 1, magnitude);
        expectWithin(got, exact, tolerance, () -> "dot of length " + n);
    }

    // ---------------------------------------------------------------- convolution unfolding

    @Property(tries = 60)
    void im2colCopiesEveryKernelTapOrZeroForPadding(@ForAll("geometries") ConvGeometry g,
                                                    @ForAll @IntRange(min = 1, max = 3) int channels,
                                                    @ForAll @IntRange(min = 1, max = 10) int height,
                                                    @ForAll @IntRange(min = 1, max = 10) int width,
                                                    @ForAll @IntRange(max = 5) int xOff, @ForAll @IntRange(max = 5) int colsOff,
                                                    @ForAll long seed) {
        Assume.that(fits(g, height, width));
        double[] x = values(seed).padded(xOff, channels * height * width, PAD, Mix.SMALL_INTEGERS, SENTINEL);
        int colsSize = channels * g.taps() * outH(g, height) * outW(g, width);
        A cols = type().of(sentinels(colsOff + colsSize + PAD));
        kernels().im2col(type().of(x), xOff, channels, height, width, g, cols, colsOff);
        double[] got = type().values(cols);
        double[] expected = naiveIm2col(x, xOff, channels, height, width, g);
        for (int i = 0; i < colsSize; i++) {
            int at = i;
            expect(got[colsOff + i], expected[i], 0, () -> "im2col " + g + " element " + at);
        }
        expectUntouched(got, colsOff, colsSize);
    }

    @Property(tries = 60)
    void col2imAddsEveryColumnEntryIntoItsPixel(@ForAll("geometries") ConvGeometry g,
                                                @ForAll @IntRange(min = 1, max = 3) int channels,
                                                @ForAll @IntRange(min = 1, max = 10) int height,
                                                @ForAll @IntRange(min = 1, max = 10) int width,
                                                @ForAll @IntRange(max = 5) int xOff, @ForAll @IntRange(max = 5) int colsOff,
                                                @ForAll long seed) {
        Assume.that(fits(g, height, width));
        RandomValues rnd = values(seed);
        int imageSize = channels * height * width;
        int oh = outH(g, height);
        int ow = outW(g, width);
        double[] cols = rnd.padded(colsOff, channels * g.taps() * oh * ow, PAD, Mix.SMALL_INTEGERS, SENTINEL);
        double[] image = rnd.padded(xOff, imageSize, PAD, Mix.SMALL_INTEGERS, SENTINEL);
        A xs = type().of(image);
        kernels().col2im(type().of(cols), colsOff, channels, height, width, g, xs, xOff);
        double[] got = type().values(xs);
        // Small integers keep every sum exact, so any summation order gives the same answer.
        double[] expected = java.util.Arrays.copyOfRange(image, xOff, xOff + imageSize);
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                            int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                            if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                int row = (c * g.kernelH() + ki) * g.kernelW() + kj;
                                expected[(c * height + iy) * width + ix] += cols[colsOff + (row * oh + oy) * ow + ox];
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < imageSize; i++) {
            int at = i;
            expect(got[xOff + i], expected[i], 0, () -> "col2im " + g + " pixel " + at);
        }
        expectUntouched(got, xOff, imageSize);
    }

    /** col2im is the adjoint of im2col: {@code <im2col(x), y> = <x, col2im(y)>}. */
    @Property(tries = 60)
    void col2imIsTheAdjointOfIm2col(@ForAll("geometries") ConvGeometry g,
                                    @ForAll @IntRange(min = 1, max = 3) int channels,
                                    @ForAll @IntRange(min = 1, max = 10) int height,
                                    @ForAll @IntRange(min = 1, max = 10) int width,
                                    @ForAll long seed) {
        Assume.that(fits(g, height, width));
        RandomValues rnd = values(seed);
        int imageSize = channels * height * width;
        int colsSize = channels * g.taps() * outH(g, height) * outW(g, width);
        double[] x = rnd.padded(0, imageSize, 0, Mix.SMALL_INTEGERS, 0);
        double[] y = rnd.padded(0, colsSize, 0, Mix.SMALL_INTEGERS, 0);
        A unfolded = type().of(new double[colsSize]);
        kernels().im2col(type().of(x), 0, channels, height, width, g, unfolded, 0);
        A folded = type().of(new double[imageSize]);
        kernels().col2im(type().of(y), 0, channels, height, width, g, folded, 0);
        assertEquals(inner(type().values(unfolded), y), inner(x, type().values(folded)),
                () -> "<im2col(x), y> vs <x, col2im(y)> for " + g + " on " + channels + "x" + height + "x" + width);
    }

    // ---------------------------------------------------------------- helpers

    RandomValues values(long seed) {
        return new RandomValues(seed, type());
    }

    static double[] sentinels(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, SENTINEL);
        return v;
    }

    /** An operand with increment 0 holds one element (or none when the run is empty). */
    static int operandLength(int n, int inc) {
        return inc == 0 ? Math.min(n, 1) : n;
    }

    static int ulps(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, SQUARE, SQRT, RECIPROCAL, RELU, STEP -> 0;
            case EXP, LOG, TANH, SIGMOID, SOFTPLUS, ERF, GELU -> TRANSCENDENTAL_ULPS;
        };
    }

    static int ulps(BinaryOp op) {
        return op == BinaryOp.POW ? TRANSCENDENTAL_ULPS : 0;
    }

    private static boolean isHalfInteger(double v) {
        return 2 * v == Math.rint(2 * v);
    }

    /**
     * Worst-case error of summing len terms of total magnitude {@code magnitude} in any order in
     * the storage type, plus the final rounding; doubled because the double-precision reference
     * carries the same kind of error when the storage type is double.
     */
    double summationError(int len, double magnitude) {
        return 2 * (len + 2) * type().unitRoundoff() * magnitude;
    }

    /**
     * Asserts that {@code actual} equals {@code exact} rounded to the storage type (bit for bit
     * when {@code ulps} is 0, so signed zeros count), or is within that many ulps of it.
     */
    void expect(double actual, double exact, int ulps, Supplier<String> what) {
        double expected = type().round(exact);
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            if (Double.isNaN(expected) != Double.isNaN(actual)) {
                fail(what.get() + " on " + type() + ": expected " + expected + " but got " + actual);
            }
            return;
        }
        if (ulps == 0) {
            if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
                fail(what.get() + " on " + type() + ": expected " + expected + " but got " + actual);
            }
        } else if (type().ulpDistance(expected, actual) > ulps) {
            fail(what.get() + " on " + type() + ": expected " + expected + " within " + ulps + " ulps but got "
                    + actual + " (" + type().ulpDistance(expected, actual) + " ulps away)");
        }
    }

    /** Asserts |actual - exact| <= tolerance, and the same value where the exact result is not finite. */
    void expectWithin(double actual, double exact, double tolerance, Supplier<String> what) {
        double expected = type().round(exact);
        boolean ok = Double.isFinite(expected)
                ? Math.abs(actual - exact) <= tolerance
                : Double.compare(expected, actual) == 0;
        if (!ok) {
            fail(what.get() + " on " + type() + ": expected " + exact + " within " + tolerance + " but got " + actual);
        }
    }

    static void expectUntouched(double[] got, int off, int n) {
        for (int i = 0; i < got.length; i++) {
            if ((i < off || i >= off + n) && got[i] != SENTINEL) {
                fail("kernel wrote element " + i + " outside its output range [" + off + ", " + (off + n) + ")");
            }
        }
    }

    private static boolean fits(ConvGeometry g, int height, int width) {
        return height + 2 * g.padH() >= g.dilationH() * (g.kernelH() - 1) + 1
                && width + 2 * g.padW() >= g.dilationW() * (g.kernelW() - 1) + 1;
    }

    private static int outH(ConvGeometry g, int height) {
        return (height + 2 * g.padH() - g.dilationH() * (g.kernelH() - 1) - 1) / g.strideH() + 1;
    }

    private static int outW(ConvGeometry g, int width) {
        return (width + 2 * g.padW() - g.dilationW() * (g.kernelW() - 1) - 1) / g.strideW() + 1;
    }

    /** im2col by its definition: row (c, ki, kj), column (oy, ox) holds x[c, iy, ix] or 0 outside the image. */
    private static double[] naiveIm2col(double[] x, int xOff, int channels, int height, int width, ConvGeometry g) {
        int oh = outH(g, height);
        int ow = outW(g, width);
        double[] cols = new double[channels * g.taps() * oh * ow];
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < g.kernelH(); ki++) {
                for (int kj = 0; kj < g.kernelW(); kj++) {
                    int row = (c * g.kernelH() + ki) * g.kernelW() + kj;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                            int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            cols[(row * oh + oy) * ow + ox] = inside ? x[xOff + (c * height + iy) * width + ix] : 0;
                        }
                    }
                }
            }
        }
        return cols;
    }

    private static double inner(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
