package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Binary ops, comparisons, where and clamp broadcast with NumPy's rules (size-1 dimensions,
 * rank-0 scalars, different ranks, empty dimensions) and compute their scalar definition.
 */
class BinaryOpProperties {

    /** Each public binary method, its name in error messages and its definition. */
    enum Op {
        ADD("add", Tensor::add, (a, b) -> a + b),
        SUB("sub", Tensor::sub, (a, b) -> a - b),
        MUL("mul", Tensor::mul, (a, b) -> a * b),
        DIV("div", Tensor::div, (a, b) -> a / b),
        POW("pow", Tensor::pow, Math::pow),
        MAXIMUM("maximum", Tensor::maximum, Math::max),
        MINIMUM("minimum", Tensor::minimum, Math::min),
        EQ("eq", Tensor::eq, (a, b) -> a == b ? 1 : 0),
        NE("ne", Tensor::ne, (a, b) -> a != b ? 1 : 0),
        LT("lt", Tensor::lt, (a, b) -> a < b ? 1 : 0),
        LE("le", Tensor::le, (a, b) -> a <= b ? 1 : 0),
        GT("gt", Tensor::gt, (a, b) -> a > b ? 1 : 0),
        GE("ge", Tensor::ge, (a, b) -> a >= b ? 1 : 0);

        final String opName;
        final BiFunction<Tensor, Tensor, Tensor> method;
        final DoubleBinaryOperator definition;

        Op(String opName, BiFunction<Tensor, Tensor, Tensor> method, DoubleBinaryOperator definition) {
            this.opName = opName;
            this.method = method;
            this.definition = definition;
        }

        /** +, -, *, / and comparisons are exactly rounded in either type; pow may be off by an ulp or two. */
        double rtol(DType dtype) {
            return this == POW ? 4 * TestTensors.eps(dtype) : 0;
        }
    }

    /** The scalar-argument methods and the op they must equal. */
    enum ScalarOp {
        ADD(Op.ADD, Tensor::add), SUB(Op.SUB, Tensor::sub), MUL(Op.MUL, Tensor::mul), DIV(Op.DIV, Tensor::div),
        POW(Op.POW, Tensor::pow), EQ(Op.EQ, Tensor::eq), LT(Op.LT, Tensor::lt), GT(Op.GT, Tensor::gt);

        final Op op;
        final BiFunction<Tensor, Double, Tensor> method;

        ScalarOp(Op op, BiFunction<Tensor, Double, Tensor> method) {
            this.op = op;
            this.method = method;
        }
    }

    @Property(tries = 500)
    void binaryOpsBroadcastLikeNumPyAndComputeTheirDefinition(@ForAll Op op, @ForAll("pairs") int[][] shapes,
            @ForAll("floating") DType dtype, @ForAll long seedA, @ForAll long seedB) {
        Tensor a = TestTensors.withSpecials(dtype, shapes[0], seedA);
        Tensor b = TestTensors.withSpecials(dtype, shapes[1], seedB);
        Tensor out = op.method.apply(a, b);
        assertEquals(dtype, out.dtype());
        NaiveTensor expected = NaiveTensor.zip(NaiveTensor.of(a), NaiveTensor.of(b), op.definition).roundedTo(dtype);
        TestTensors.assertClose(out, expected, op.rtol(dtype), 0);
    }

    @Property(tries = 200)
    void scalarVariantsEqualTheOpWithARank0Operand(@ForAll ScalarOp op, @ForAll("shapes") int[] dims,
            @ForAll("floating") DType dtype, @ForAll long seed, @ForAll("scalars") double c) {
        Tensor a = TestTensors.withSpecials(dtype, dims, seed);
        Tensor out = op.method.apply(a, c);
        TestTensors.assertIdentical(op.op.method.apply(a, Tensor.scalar(dtype, c)), out);
        double cInType = dtype == DType.F32 ? (float) c : c;
        NaiveTensor expected = NaiveTensor.map(NaiveTensor.of(a), x -> op.op.definition.applyAsDouble(x, cInType));
        TestTensors.assertClose(out, expected.roundedTo(dtype), op.op.rtol(dtype), 0);
    }

    @Property(tries = 200)
    void clampLimitsEveryElementToTheInterval(@ForAll("shapes") int[] dims, @ForAll("floating") DType dtype,
            @ForAll long seed, @ForAll @DoubleRange(min = -5, max = 5) double low,
            @ForAll @DoubleRange(min = 0, max = 5) double width) {
        Tensor x = TestTensors.withSpecials(dtype, dims, seed);
        double lo = dtype == DType.F32 ? (float) low : low;
        double hi = dtype == DType.F32 ? (float) (low + width) : low + width;
        NaiveTensor expected = NaiveTensor.map(NaiveTensor.of(x), v -> Math.min(Math.max(v, lo), hi));
        TestTensors.assertClose(x.clamp(lo, hi), expected, 0, 0);
    }

    @Example
    void clampRejectsAnEmptyOrNaNIntervalAndIntegerTensors() {
        Tensor x = Tensor.zeros(DType.F32, 2);
        for (double[] bounds : new double[][] {{1, 0}, {Double.NaN, 1}, {0, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.clamp(bounds[0], bounds[1]));
            assertTrue(e.getMessage().startsWith("clamp:"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1}).clamp(0, 1));
        assertTrue(e.getMessage().startsWith("clamp:") && e.getMessage().contains("I64"), e.getMessage());
    }

    @Property(tries = 300)
    void whereChoosesElementwiseWithThreeWayBroadcasting(@ForAll("triples") int[][] shapes,
            @ForAll("floating") DType dtype, @ForAll long seed, @ForAll boolean integerCondition) {
        Tensor cond = TestTensors.indices(shapes[0], 2, seed).cast(integerCondition ? DType.I64 : dtype);
        Tensor a = TestTensors.withSpecials(dtype, shapes[1], seed + 1);
        Tensor b = TestTensors.withSpecials(dtype, shapes[2], seed + 2);
        NaiveTensor c = NaiveTensor.of(cond);
        NaiveTensor na = NaiveTensor.of(a);
        NaiveTensor nb = NaiveTensor.of(b);
        NaiveTensor expected = new NaiveTensor(NaiveTensor.broadcastDims(shapes[0], shapes[1], shapes[2]));
        for (int i = 0; i < expected.size(); i++) {
            int[] idx = expected.index(i);
            expected.data[i] = c.broadcastGet(idx) != 0 ? na.broadcastGet(idx) : nb.broadcastGet(idx);
        }
        TestTensors.assertClose(Tensor.where(cond, a, b), expected, 0, 0);
    }

    @Property(tries = 200)
    void incompatibleShapesAreRejectedWithAMessageNamingTheOpAndBothShapes(@ForAll Op op,
            @ForAll("incompatible") int[][] shapes, @ForAll("floating") DType dtype) {
        assertNull(NaiveTensor.broadcastDims(shapes[0], shapes[1]));
        Tensor a = Tensor.zeros(dtype, shapes[0]);
        Tensor b = Tensor.zeros(dtype, shapes[1]);
        ShapeException e = assertThrows(ShapeException.class, () -> op.method.apply(a, b));
        assertMessageNames(e, op.opName, shapes[0], shapes[1]);
    }

    @Property(tries = 50)
    void whereRejectsIncompatibleShapesNamingAllThree(@ForAll("incompatible") int[][] shapes) {
        Tensor cond = Tensor.zeros(DType.F32, shapes[0]);
        Tensor a = Tensor.zeros(DType.F32, shapes[1]);
        Tensor b = Tensor.zeros(DType.F32, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.where(cond, a, b));
        assertMessageNames(e, "where", shapes[0], shapes[1]);
        assertTrue(e.getMessage().contains("[1]"), e.getMessage());
    }

    @Example
    void integerArithmeticAndMixedDtypesAreRejectedWithAClearMessage() {
        Tensor ints = Tensor.of(new long[] {1, 2});
        Tensor f32 = Tensor.zeros(DType.F32, 2);
        Tensor f64 = Tensor.zeros(DType.F64, 2);
        for (Op op : Op.values()) {
            if (op.ordinal() >= Op.EQ.ordinal()) {
                assertEquals(DType.I64, op.method.apply(ints, ints).dtype()); // labels compare exactly
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.method.apply(ints, ints));
                assertTrue(e.getMessage().startsWith(op.opName + ":") && e.getMessage().contains("F32 or F64"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.method.apply(f32, f64));
            assertTrue(e.getMessage().startsWith(op.opName + ":") && e.getMessage().contains("F32")
                    && e.getMessage().contains("F64"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ints.add(1.0));
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
    }

    @Property(tries = 20)
    void randomBroadcastsAboveTheParallelThresholdMatchTheReference(@ForAll("pairs") int[][] shapes,
            @ForAll("floating") DType dtype, @ForAll long seed, @ForAll boolean broadcastLastAxis) {
        // A long last axis pushes any broadcast pattern of the leading axes over the threshold.
        int[] out = NaiveTensor.broadcastDims(shapes[0], shapes[1]);
        int last = Strided.PARALLEL_THRESHOLD / Math.max(1, NaiveTensor.sizeOf(out)) + 17;
        int[] a = java.util.Arrays.copyOf(shapes[0], shapes[0].length + 1);
        int[] b = java.util.Arrays.copyOf(shapes[1], shapes[1].length + 1);
        a[a.length - 1] = last;
        b[b.length - 1] = broadcastLastAxis ? 1 : last;
        Tensor x = TestTensors.random(dtype, a, seed);
        Tensor y = TestTensors.random(dtype, b, seed + 1);
        NaiveTensor expected = NaiveTensor.zip(NaiveTensor.of(x), NaiveTensor.of(y), Op.SUB.definition);
        TestTensors.assertClose(x.sub(y), expected.roundedTo(dtype), 0, 0);
    }

    @Example
    void broadcastsAboveTheParallelThresholdMatchTheReference() {
        int[][][] cases = {
            {{40, 1, 50}, {1, 60, 50}},
            {{3, 20000}, {20000}},
            {{70000}, {1}},
            {{70000}, {70000}},
            {{50, 800}, {50, 1}},
            {{2, 1, 3, 6000}, {1, 4, 3, 1}},
        };
        Op[] ops = {Op.ADD, Op.MUL, Op.LT};
        for (int k = 0; k < cases.length; k++) {
            int[][] c = cases[k];
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Tensor a = TestTensors.random(dtype, c[0], 1);
                Tensor b = TestTensors.random(dtype, c[1], 2);
                Op op = ops[k % ops.length];
                NaiveTensor expected = NaiveTensor.zip(NaiveTensor.of(a), NaiveTensor.of(b), op.definition);
                TestTensors.assertClose(op.method.apply(a, b), expected.roundedTo(dtype), 0, 0);
                NaiveTensor swapped = NaiveTensor.zip(NaiveTensor.of(b), NaiveTensor.of(a), op.definition);
                TestTensors.assertClose(op.method.apply(b, a), swapped.roundedTo(dtype), 0, 0);
            }
        }
    }

    static void assertMessageNames(RuntimeException e, String op, int[] first, int[] second) {
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ":") && m.contains(Arrays.toString(first)) && m.contains(Arrays.toString(second)),
                () -> "message should name " + op + ", " + Arrays.toString(first) + " and " + Arrays.toString(second) + ": " + m);
    }

    @Provide
    Arbitrary<int[][]> pairs() {
        return ShapeArbitraries.broadcastable(2);
    }

    @Provide
    Arbitrary<int[][]> triples() {
        return ShapeArbitraries.broadcastable(3);
    }

    @Provide
    Arbitrary<int[][]> incompatible() {
        return ShapeArbitraries.incompatiblePair();
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return ShapeArbitraries.shape(0, 4);
    }

    @Provide
    Arbitrary<DType> floating() {
        return ShapeArbitraries.floating();
    }

    @Provide
    Arbitrary<Double> scalars() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.doubles().between(-10, 10),
                net.jqwik.api.Arbitraries.of(0.0, -0.0, 1.0, 2.0, 0.5, 0.1, Double.NaN, Double.POSITIVE_INFINITY));
    }
}
