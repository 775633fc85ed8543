package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** Every unary op is its java.lang.Math definition applied to each element, on any shape and both float types. */
class UnaryOpProperties {

    /** Each public unary method with the definition it must compute, written from the math, not from UnaryOp. */
    enum Op {
        NEG(Tensor::neg, x -> -x),
        ABS(Tensor::abs, Math::abs),
        SIGN(Tensor::sign, Math::signum),
        SQUARE(Tensor::square, x -> x * x),
        SQRT(Tensor::sqrt, Math::sqrt),
        RECIPROCAL(Tensor::reciprocal, x -> 1 / x),
        EXP(Tensor::exp, Math::exp),
        LOG(Tensor::log, Math::log),
        TANH(Tensor::tanh, Math::tanh),
        SIGMOID(Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))),
        RELU(Tensor::relu, x -> Double.isNaN(x) ? x : x > 0 ? x : 0),
        STEP(Tensor::step, x -> x > 0 ? 1 : 0),
        SOFTPLUS(Tensor::softplus, x -> x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
        ERF(Tensor::erf, HighPrecisionErf::erf),
        GELU(Tensor::gelu, HighPrecisionErf::gelu);

        final UnaryOperator<Tensor> method;
        final DoubleUnaryOperator definition;

        Op(UnaryOperator<Tensor> method, DoubleUnaryOperator definition) {
            this.method = method;
            this.definition = definition;
        }

        /** NaN compares like any value: relu propagates it (as PyTorch), step maps it to 0. */
        boolean comparesNaN() {
            return true;
        }

        /** Infinite inputs of erf and gelu are checked by {@link #erfAndGeluTakeTheirLimitsAtInfinity}. */
        boolean comparesInfinity() {
            return this != ERF && this != GELU;
        }

        /**
         * Allowed error: a few ulps of the result. GELU may also be off by a few ulps of x, as
         * x (1 + erf(x / sqrt 2)) / 2 is for negative x where 1 + erf cancels.
         */
        double allowed(DType dtype, double x, double expected) {
            double eps = TestTensors.eps(dtype);
            double floor = dtype == DType.F32 ? 1e-37 : 1e-300;
            return switch (this) {
                case NEG, ABS, SIGN, SQUARE, SQRT, RECIPROCAL, RELU, STEP -> eps * Math.abs(expected) + floor;
                case GELU -> 16 * eps * Math.abs(expected) + 4 * eps * Math.abs(x) + floor;
                default -> 8 * eps * Math.abs(expected) + floor;
            };
        }
    }

    @Property(tries = 600)
    void everyUnaryOpAppliesItsMathDefinitionToEachElement(@ForAll Op op,
            @ForAll("shapes") int[] dims, @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = TestTensors.withSpecials(dtype, dims, seed);
        Tensor y = op.method.apply(x);
        assertEquals(dtype, y.dtype());
        assertEquals(x.shape(), y.shape());
        assertMatchesDefinition(op, x, y);
    }

    @Property(tries = 30)
    void unaryOpsLeaveTheirOperandUnchanged(@ForAll Op op, @ForAll("floating") DType dtype, @ForAll long seed) {
        Tensor x = TestTensors.withSpecials(dtype, new int[] {3, 4}, seed);
        Tensor before = x.copy();
        op.method.apply(x);
        TestTensors.assertIdentical(before, x);
    }

    @Property(tries = 200)
    void erfAgreesWithAHighPrecisionSeries(@ForAll @DoubleRange(min = -7, max = 7) double x) {
        Tensor y = Tensor.scalar(DType.F64, x).erf();
        double expected = HighPrecisionErf.erf(x);
        assertTrue(Math.abs(y.item() - expected) <= 1e-15 * Math.abs(expected) + 1e-300,
                () -> "erf(" + x + ") = " + y.item() + ", expected " + expected);
    }

    @Example
    void erfMatchesTabulatedValuesTo1e15() {
        double[][] table = {
            {1e-10, 1.128379167095512573892398e-10},
            {0.1, 0.1124629160182848922032751},
            {0.5, 0.5204998778130465376827467},
            {1, 0.8427007929497148693412206},
            {1.5, 0.9661051464753107270669763},
            {2, 0.9953222650189527341620693},
            {2.5, 0.9995930479825550410604358},
            {3, 0.9999779095030014145586272},
            {3.5, 0.9999992569016276585872545},
            {4, 0.9999999845827420997199811},
            {5, 0.999999999998462540205572},
            {6, 0.9999999999999999784802633},
        };
        for (double[] row : table) {
            for (double sign : new double[] {1, -1}) {
                double got = Tensor.scalar(DType.F64, sign * row[0]).erf().item();
                double err = Math.abs(got - sign * row[1]);
                assertTrue(err <= 1e-15 * Math.max(1e-10, Math.abs(row[1])),
                        "erf(" + sign * row[0] + ") = " + got + ", table " + sign * row[1]);
            }
        }
    }

    @Property(tries = 200)
    void geluIsXTimesTheNormalCdf(@ForAll @DoubleRange(min = -40, max = 40) double x, @ForAll("floating") DType dtype) {
        double input = dtype == DType.F32 ? (float) x : x;
        double got = Tensor.scalar(dtype, input).gelu().item();
        double expected = HighPrecisionErf.gelu(input);
        assertTrue(Math.abs(got - expected) <= Op.GELU.allowed(dtype, input, expected),
                () -> "gelu(" + input + ") = " + got + ", expected " + expected);
    }

    /** F32 takes float-accurate fits (far cheaper than the F64 series): within an ulp of float of the exact value. */
    @Property(tries = 300)
    void floatExpErfAndGeluAreWithinAnUlp(@ForAll @DoubleRange(min = -12, max = 12) double x) {
        float input = (float) x;
        float exp = (float) Tensor.scalar(DType.F32, input * 9).exp().item();
        double exactExp = Math.exp((float) (input * 9));
        assertTrue(Math.abs(exp - exactExp) <= Math.ulp((float) exactExp) || Float.isInfinite(exp) && exactExp > Float.MAX_VALUE,
                () -> "exp(" + (float) (input * 9) + ") = " + exp + ", exact " + exactExp);
        float erf = (float) Tensor.scalar(DType.F32, input).erf().item();
        float gelu = (float) Tensor.scalar(DType.F32, input).gelu().item();
        double exactErf = HighPrecisionErf.erf(input);
        double exactGelu = HighPrecisionErf.gelu(input);
        assertTrue(Math.abs(erf - exactErf) <= Math.ulp((float) exactErf), () -> "erf(" + input + ") = " + erf
                + ", exact " + exactErf);
        assertTrue(Math.abs(gelu - exactGelu) <= 1.5 * Math.ulp((float) exactGelu), () -> "gelu(" + input + ") = " + gelu
                + ", exact " + exactGelu);
    }

    @Example
    void geluMatchesTabulatedValues() {
        double[][] table = {
            {-20, -5.507248237212467390151246e-88},
            {-10, -7.619853024160526065973343e-23},
            {-5, -0.000001433257859395969558368762},
            {-1, -0.1586552539314570514147675},
            {0.5, 0.3457312306370065518188523},
            {3, 2.995950305905109716420045},
        };
        for (double[] row : table) {
            double got = Tensor.scalar(DType.F64, row[0]).gelu().item();
            assertTrue(Math.abs(got - row[1]) <= Op.GELU.allowed(DType.F64, row[0], row[1]), "gelu(" + row[0] + ") = " + got);
        }
    }

    @Example
    void erfAndGeluTakeTheirLimitsAtInfinity() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor inf = Tensor.of(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}).cast(dtype);
            TestTensors.assertClose(inf.erf(), new NaiveTensor(new int[] {2}, new double[] {1, -1}), 0, 0);
            TestTensors.assertClose(inf.gelu(), new NaiveTensor(new int[] {2}, new double[] {Double.POSITIVE_INFINITY, 0}), 0, 0);
        }
    }

    @Example
    void unaryOpsAboveTheParallelThresholdMatchTheirDefinitionEverywhere() {
        int[] dims = {3, Strided.PARALLEL_THRESHOLD / 2 + 7};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = TestTensors.withSpecials(dtype, dims, 42);
            for (Op op : Op.values()) {
                Tensor y = op.method.apply(x);
                if (op == Op.ERF || op == Op.GELU) {
                    // The series oracle is slow: check a stride of elements, including both chunk edges.
                    for (int i = 0; i < x.size(); i += 997) {
                        assertElement(op, dtype, x.storage().getDouble(i), y.storage().getDouble(i), i);
                    }
                } else {
                    assertMatchesDefinition(op, x, y);
                }
            }
        }
    }

    @Example
    void integerTensorsAreRejectedWithAClearMessage() {
        Tensor labels = Tensor.of(new long[] {1, 2, 3});
        for (Op op : Op.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.method.apply(labels));
            String name = op.name().toLowerCase(java.util.Locale.ROOT);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("I64")
                    && e.getMessage().contains("F32 or F64"), e.getMessage());
        }
    }

    private static void assertMatchesDefinition(Op op, Tensor x, Tensor y) {
        for (int i = 0; i < x.size(); i++) {
            assertElement(op, x.dtype(), x.storage().getDouble(i), y.storage().getDouble(i), i);
        }
    }

    private static void assertElement(Op op, DType dtype, double in, double got, int i) {
        if (Double.isNaN(in) && !op.comparesNaN() || Double.isInfinite(in) && !op.comparesInfinity()) {
            return;
        }
        double exact = op.definition.applyAsDouble(in);
        double expected = dtype == DType.F32 ? (float) exact : exact;
        if (!TestTensors.close(got, expected, op.allowed(dtype, in, expected))) {
            fail(op + "(" + in + ") at flat index " + i + " in " + dtype + " is " + got + ", expected " + expected);
        }
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
