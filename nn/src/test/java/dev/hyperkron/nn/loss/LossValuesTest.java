package dev.hyperkron.nn.loss;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Loss values against closed forms, PyTorch's MEAN divisors, per-example weights and input validation. */
class LossValuesTest {

    /** log sum_c exp(z_c) - z_y per row, with the maximum subtracted first. */
    private static Tensor crossEntropyClosedForm(Tensor z, Tensor labels) {
        int n = z.dim(0);
        int c = z.dim(1);
        Tensor l = Tensor.zeros(DType.F64, n);
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(z.get(i, j) - max);
            }
            l.storage().setDouble(i, max + Math.log(sum) - z.get(i, (int) labels.getLong(i)));
        }
        return l;
    }

    /** sum_c (z - y)^2 per row. */
    private static Tensor mseClosedForm(Tensor z, Tensor y) {
        Tensor l = Tensor.zeros(DType.F64, z.dim(0));
        for (int i = 0; i < z.dim(0); i++) {
            double acc = 0;
            for (int j = 0; j < z.dim(1); j++) {
                double d = z.get(i, j) - y.get(i, j);
                acc += d * d;
            }
            l.storage().setDouble(i, acc);
        }
        return l;
    }

    /** -sum_c [y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] per row, with log sigmoid(z) = -log1p(exp(-z)). */
    private static Tensor bceClosedForm(Tensor z, Tensor y) {
        Tensor l = Tensor.zeros(DType.F64, z.dim(0));
        for (int i = 0; i < z.dim(0); i++) {
            double acc = 0;
            for (int j = 0; j < z.dim(1); j++) {
                double v = z.get(i, j);
                double logSig = v > 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v));
                double logOneMinusSig = logSig - v;
                acc -= y.get(i, j) * logSig + (1 - y.get(i, j)) * logOneMinusSig;
            }
            l.storage().setDouble(i, acc);
        }
        return l;
    }

    private static Tensor labels(Rng rng, int n, int classes) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(classes);
        }
        return Tensor.of(t);
    }

    /** The three losses with targets drawn for given logits, and the closed form of each. */
    private record Case(Loss loss, Tensor logits, Tensor targets, Tensor closedForm, double meanDivisor) {
    }

    private static List<Case> cases(Rng rng, int n, int c) {
        Tensor z = normal(rng, n, c).mul(3);
        Tensor classes = labels(rng, n, c);
        Tensor real = normal(rng, n, c);
        Tensor soft = Tensor.rand(rng, DType.F64, n, c); // BCE accepts probabilities, not only 0/1
        return List.of(
                new Case(new CrossEntropyLoss(), z, classes, crossEntropyClosedForm(z, classes), n),
                new Case(new MseLoss(), z, real, mseClosedForm(z, real), n * c),
                new Case(new BceWithLogitsLoss(), z, soft, bceClosedForm(z, soft), n * c));
    }

    @Property(tries = 50)
    void perExampleLossesAndReductionsMatchTheClosedForms(@ForAll @IntRange(min = 1, max = 6) int n,
                                                          @ForAll @IntRange(min = 1, max = 5) int c, @ForAll long seed) {
        for (Case k : cases(new Rng(seed), n, c)) {
            Var z = Var.constant(k.logits());
            String name = k.loss().toString();
            assertClose(name + " NONE", k.closedForm(), k.loss().apply(z, k.targets(), Reduction.NONE).value(), 1e-12);
            assertClose(name + " per example", k.closedForm(), k.loss().perExample(z, k.targets()).value(), 1e-12);
            assertEquals(k.closedForm().sum().item(), k.loss().apply(z, k.targets(), Reduction.SUM).item(),
                    1e-12 * n * c, name + " SUM");
            assertEquals(k.closedForm().sum().item() / k.meanDivisor(), k.loss().apply(z, k.targets(), Reduction.MEAN).item(),
                    1e-12, name + " MEAN");
            assertEquals(k.meanDivisor(), k.loss().meanDivisor(n, c), name + " divisor");
        }
    }

    @Test
    void meanCrossEntropyDividesByTheBatchWhileMseAndBceDivideByEveryElement() {
        Tensor z = Tensor.of(DType.F64, new double[][] {{1, 2, 3}, {0, 0, 0}});
        Tensor y = Tensor.zeros(DType.F64, 2, 3);
        // MSE: squared elements sum to 14 over 6 elements (torch.nn.MSELoss()(z, 0) = 14 / 6)
        assertEquals(14.0 / 6, new MseLoss().apply(Var.constant(z), y, Reduction.MEAN).item(), 1e-15);
        // cross-entropy of the uniform row is log 3; the first row's is log(e + e^2 + e^3) - 3
        double first = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        assertEquals((first + Math.log(3)) / 2, new CrossEntropyLoss().apply(Var.constant(z), Tensor.of(new long[] {2, 0}),
                Reduction.MEAN).item(), 1e-15);
        // BCE at z = 0 is log 2 per element, whatever the target
        assertEquals(Math.log(2), new BceWithLogitsLoss().apply(Var.constant(Tensor.zeros(DType.F64, 2, 3)),
                Tensor.ones(DType.F64, 2, 3), Reduction.MEAN).item(), 1e-15);
    }

    @Test
    void bceStaysFiniteForHugeLogits() {
        Tensor z = Tensor.of(DType.F64, new double[][] {{800, -800}});
        Tensor y = Tensor.of(DType.F64, new double[][] {{0, 1}});
        Tensor l = new BceWithLogitsLoss().perExample(Var.constant(z), y).value();
        assertEquals(1600, l.item(), 1e-9);
    }

    @Test
    void crossEntropyStaysFiniteForHugeLogits() {
        Tensor z = Tensor.of(DType.F64, new double[][] {{1000, 0}, {-1000, 1000}});
        Tensor l = new CrossEntropyLoss().perExample(Var.constant(z), Tensor.of(new long[] {1, 1})).value();
        assertClose(Tensor.of(new double[] {1000, 0}), l, 1e-12);
    }

    @Property(tries = 30)
    void perExampleWeightGradientIsTheExamplesLossOverTheDivisor(@ForAll @IntRange(min = 1, max = 6) int n,
                                                                @ForAll @IntRange(min = 1, max = 4) int c,
                                                                @ForAll long seed) {
        Rng rng = new Rng(seed);
        for (Case k : cases(rng, n, c)) {
            Var w = Var.leaf(Tensor.rand(rng, DType.F64, n));
            Var z = Var.constant(k.logits());
            String name = k.loss().toString();
            Tensor mean = Grad.grad(k.loss().apply(z, k.targets(), w, Reduction.MEAN), List.of(w)).get(0).value();
            assertClose(name + " MEAN", k.closedForm().div(k.meanDivisor()), mean, 1e-12);
            Tensor sum = Grad.grad(k.loss().apply(z, k.targets(), w, Reduction.SUM), List.of(w)).get(0).value();
            assertClose(name + " SUM", k.closedForm(), sum, 1e-12);
            Var none = k.loss().apply(z, k.targets(), w, Reduction.NONE);
            assertClose(name + " NONE value", k.closedForm().mul(w.value()), none.value(), 1e-12);
        }
    }

    @Test
    void weightedMeanCrossEntropyGradientWrtLogitsIsWeightTimesSoftmaxMinusOneHotOverN() {
        Rng rng = new Rng(3);
        Tensor z = normal(rng, 4, 3);
        Tensor y = labels(rng, 4, 3);
        Tensor w = Tensor.of(new double[] {0, 0.5, 1, 2});
        Var logits = Var.leaf(z);
        Tensor g = Grad.grad(new CrossEntropyLoss().apply(logits, y, Var.constant(w), Reduction.MEAN), List.of(logits))
                .get(0).value();
        Tensor expected = z.softmax(1).sub(Tensor.oneHot(y, 3, DType.F64)).mul(w.reshape(4, 1)).div(4);
        assertClose(expected, g, 1e-14);
    }

    @Test
    void lossesKeepTheLogitsDtype() {
        Tensor z = Tensor.zeros(DType.F32, 2, 3);
        assertEquals(DType.F32, new CrossEntropyLoss().apply(Var.constant(z), Tensor.of(new int[] {0, 2}), Reduction.MEAN).dtype());
        assertEquals(DType.F32, new MseLoss().apply(Var.constant(z), z, Reduction.SUM).dtype());
        assertEquals(Shape.of(2), new BceWithLogitsLoss().apply(Var.constant(z), z, Reduction.NONE).shape());
    }

    // ------------------------------------------------------------------ bad input

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void crossEntropyRejectsBadTargetsSayingWhatIsWrong() {
        Var z = Var.constant(Tensor.zeros(DType.F64, 3, 4));
        Loss ce = new CrossEntropyLoss();
        assertRejected(() -> ce.perExample(z, Tensor.zeros(DType.F64, 3)), "cross-entropy", "integer", "F64");
        assertRejected(() -> ce.perExample(z, Tensor.of(new long[] {0, 1})), "3 integer class indices", "[2]");
        assertRejected(() -> ce.perExample(z, Tensor.of(new long[] {0, 1, 2}, 3, 1)), "[3, 1]");
        assertRejected(() -> ce.perExample(z, Tensor.of(new long[] {0, 4, 1})), "target 4", "example 1", "[0, 4)");
        assertRejected(() -> ce.perExample(z, Tensor.of(new long[] {0, 1, -1})), "target -1", "example 2");
        assertRejected(() -> ce.perExample(Var.constant(Tensor.zeros(DType.F64, 4)), Tensor.of(new long[] {0})),
                "[N, C]", "[4]");
        assertRejected(() -> ce.perExample(Var.constant(Tensor.zeros(DType.F64, 2, 3, 4)), Tensor.of(new long[] {0, 0})),
                "[N, C]", "[2, 3, 4]");
    }

    @Test
    void mseAndBceRejectTargetsOfAnotherShapeOrDtype() {
        Var z = Var.constant(Tensor.zeros(DType.F64, 3, 2));
        for (Loss loss : List.of(new MseLoss(), new BceWithLogitsLoss())) {
            assertRejected(() -> loss.perExample(z, Tensor.zeros(DType.F64, 3)), "[3, 2]", "[3]");
            assertRejected(() -> loss.perExample(z, Tensor.zeros(DType.F32, 3, 2)), "F64", "F32");
            assertRejected(() -> loss.perExample(z, Tensor.of(new long[] {0, 1, 0, 1, 0, 1}, 3, 2)), "I64");
        }
    }

    @Test
    void weightsMustHaveOneEntryPerExample() {
        Var z = Var.constant(Tensor.zeros(DType.F64, 3, 2));
        assertRejected(() -> new MseLoss().apply(z, Tensor.zeros(DType.F64, 3, 2),
                Var.leaf(Tensor.ones(DType.F64, 2)), Reduction.MEAN), "MseLoss", "weights", "[2]", "[3]");
    }

    @Test
    void curvatureHelpersRejectLogitsThatAreNotRows() {
        Tensor bad = Tensor.zeros(DType.F64, 2, 2, 2);
        for (Loss loss : List.of(new CrossEntropyLoss(), new MseLoss(), new BceWithLogitsLoss())) {
            assertRejected(() -> loss.hessianFactor(bad), "[N, C]");
            assertRejected(() -> loss.sampleTargets(bad, new Rng(1)), "[N, C]");
        }
    }
}
