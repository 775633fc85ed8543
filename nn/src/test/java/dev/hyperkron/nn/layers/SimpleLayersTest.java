package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Naive;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/** Flatten, Dropout, Embedding, LayerNorm and the activations against their definitions. */
class SimpleLayersTest {

    // ------------------------------------------------------------------ Flatten

    @Test
    void flattenKeepsTheBatchAxisAndJoinsTheRest() {
        Tensor x = normal(new Rng(1), 2, 3, 4, 5);
        Tensor y = new Flatten().apply(Params.empty(), Var.constant(x), Context.eval()).value();
        assertEquals(Shape.of(2, 60), y.shape());
        assertClose(x.reshape(2, 60), y, 0);
        assertEquals(x.get(1, 2, 3, 4), y.get(1, 2 * 20 + 3 * 5 + 4));
    }

    @Test
    void flattenRejectsAScalar() {
        assertThrows(IllegalArgumentException.class,
                () -> new Flatten().apply(Params.empty(), Var.constant(Tensor.scalar(DType.F64, 1)), Context.eval()));
    }

    // ------------------------------------------------------------------ Dropout

    @Test
    void dropoutIsTheIdentityInEvaluation() {
        Var x = Var.leaf(normal(new Rng(1), 3, 4));
        assertSame(x, new Dropout(0.5).apply(Params.empty(), x, Context.eval()));
    }

    @Property(tries = 10)
    void dropoutZeroesWithProbabilityPAndScalesTheRestByOneOverOneMinusP(
            @ForAll @DoubleRange(min = 0.05, max = 0.9) double p, @ForAll long seed) {
        int n = 20_000;
        Tensor x = Tensor.uniform(new Rng(seed), DType.F64, 1, 2, n); // never zero
        Tensor y = new Dropout(p).apply(Params.empty(), Var.constant(x), Context.train(new Rng(seed + 1))).value();
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            double yi = y.storage().getDouble(i);
            if (yi == 0) {
                zeros++;
            } else {
                assertEquals(x.storage().getDouble(i) / (1 - p), yi, 1e-12);
            }
        }
        double sd = Math.sqrt(p * (1 - p) / n); // binomial standard error of the zero fraction
        assertEquals(p, zeros / (double) n, 5 * sd, "fraction of zeros");
    }

    @Test
    void dropoutIsDeterministicForAFixedSeedAndVariesAcrossSeeds() {
        Tensor x = normal(new Rng(1), 4, 50);
        Dropout dropout = new Dropout(0.3);
        Tensor a = dropout.apply(Params.empty(), Var.constant(x), Context.train(new Rng(9))).value();
        Tensor b = dropout.apply(Params.empty(), Var.constant(x), Context.train(new Rng(9))).value();
        Tensor c = dropout.apply(Params.empty(), Var.constant(x), Context.train(new Rng(10))).value();
        assertEquals(a, b);
        assertTrue(!a.equals(c), "another seed should drop other elements");
    }

    @Test
    void dropoutGradientIsTheScaledMask() {
        Var x = Var.leaf(normal(new Rng(2), 6, 7));
        Var y = new Dropout(0.4).apply(Params.empty(), x, Context.train(new Rng(5)));
        Tensor g = Grad.grad(y.sum(), List.of(x)).get(0).value();
        assertClose(y.value().div(x.value()), g, 1e-12);
    }

    @Test
    void dropoutWithZeroProbabilityIsTheIdentityInTraining() {
        Var x = Var.leaf(normal(new Rng(1), 3, 4));
        assertSame(x, new Dropout(0).apply(Params.empty(), x, Context.train(new Rng(1))));
    }

    @Test
    void dropoutRejectsProbabilitiesOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @Test
    void dropoutInTrainingNeedsAnRng() {
        assertThrows(NullPointerException.class, () -> Context.train(null));
    }

    // ------------------------------------------------------------------ Embedding

    @Test
    void embeddingLooksUpTheRowOfEveryId() {
        Embedding embedding = new Embedding(5, 3);
        Params p = embedding.init(new Rng(1), DType.F64);
        Tensor table = p.get("weight").value();
        Tensor ids = Tensor.of(new long[] {4, 0, 2, 2, 1, 4}, 2, 3);
        Tensor y = embedding.apply(p, Var.constant(ids), Context.eval()).value();
        assertEquals(Shape.of(2, 3, 3), y.shape());
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                for (int d = 0; d < 3; d++) {
                    assertEquals(table.get((int) ids.getLong(i, t), d), y.get(i, t, d));
                }
            }
        }
    }

    @Test
    void embeddingAcceptsInt32Ids() {
        Embedding embedding = new Embedding(4, 2);
        Params p = embedding.init(new Rng(1), DType.F64);
        Tensor y = embedding.apply(p, Var.constant(Tensor.of(new int[] {3, 1})), Context.eval()).value();
        assertClose(p.get("weight").value().indexSelect(0, Tensor.of(new long[] {3, 1})), y, 0);
    }

    @Test
    void embeddingGradientAccumulatesOverRepeatedIds() {
        Embedding embedding = new Embedding(4, 2);
        Params p = embedding.init(new Rng(1), DType.F64);
        Tensor ids = Tensor.of(new long[] {1, 3, 1, 1, 0}, 5);
        Tensor r = normal(new Rng(2), 5, 2);
        Var y = embedding.apply(p, Var.constant(ids), Context.eval());
        Tensor g = Grad.grad(y.mul(Var.constant(r)).sum(), p.vars()).get(0).value();
        Tensor expected = Tensor.zeros(DType.F64, 4, 2);
        for (int i = 0; i < 5; i++) {
            for (int d = 0; d < 2; d++) {
                int row = (int) ids.getLong(i);
                expected.storage().setDouble(row * 2 + d, expected.get(row, d) + r.get(i, d));
            }
        }
        assertClose(expected, g, 1e-12);
        assertEquals(0.0, g.get(2, 0), "an id that never occurs gets no gradient");
    }

    @Test
    void embeddingInitIsStandardNormal() {
        Tensor w = new Embedding(200, 50).init(new Rng(4), DType.F64).get("weight").value();
        assertEquals(0, w.mean().item(), 0.02);
        assertEquals(1, w.square().mean().item(), 0.04);
    }

    @Test
    void embeddingRejectsFloatingIds() {
        Embedding embedding = new Embedding(4, 2);
        Params p = embedding.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedding.apply(p, Var.constant(Tensor.zeros(DType.F64, 3)), Context.eval()));
        assertTrue(e.getMessage().contains("integer ids"), e.getMessage());
    }

    @Test
    void embeddingRejectsIdsOutsideTheTableNamingTheId() {
        Embedding embedding = new Embedding(4, 2);
        Params p = embedding.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedding.apply(p, Var.constant(Tensor.of(new long[] {1, 4})), Context.eval().child("tokens")));
        assertTrue(e.getMessage().startsWith("Embedding(4 x 2) at 'tokens': id 4 at flat position 1")
                && e.getMessage().contains("[0, 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> embedding.apply(p, Var.constant(Tensor.of(new int[] {-1})), Context.eval()));
    }

    // ------------------------------------------------------------------ LayerNorm

    @Property(tries = 50)
    void layerNormMatchesPyTorchsClosedForm(@ForAll @IntRange(min = 1, max = 8) int features,
                                            @ForAll @DoubleRange(min = 1e-5, max = 2) @Scale(6) double eps, @ForAll long seed) {
        Rng rng = new Rng(seed);
        LayerNorm norm = new LayerNorm(features, eps);
        // random affine parameters so that weight and bias are exercised, not just their init values
        Params p = norm.init(rng, DType.F64).withValues(List.of(normal(rng, features), normal(rng, features)));
        Tensor x = normal(rng, 2, 3, features).mul(0.3);
        Tensor y = norm.apply(p, Var.constant(x), Context.eval()).value();
        assertClose(Naive.layerNorm(x, p.get("weight").value(), p.get("bias").value(), eps), y, 1e-12);
    }

    @Test
    void layerNormPutsEpsUnderTheSquareRootOfTheBiasedVariance() {
        // row (1, 3): mean 2, biased variance 1; with eps 3, PyTorch gives (-1, 1) / sqrt(1 + 3) = (-0.5, 0.5)
        LayerNorm norm = new LayerNorm(2, 3.0);
        Tensor y = norm.apply(norm.init(new Rng(1), DType.F64), Var.constant(Tensor.of(new double[] {1, 3}, 1, 2)),
                Context.eval()).value();
        assertClose(Tensor.of(new double[] {-0.5, 0.5}, 1, 2), y, 1e-15);
    }

    @Test
    void layerNormOfAConstantRowIsTheBias() {
        LayerNorm norm = new LayerNorm(3);
        Params p = norm.init(new Rng(1), DType.F64).withValues(List.of(Tensor.ones(DType.F64, 3),
                Tensor.of(new double[] {1, 2, 3})));
        Tensor y = norm.apply(p, Var.constant(Tensor.full(DType.F64, 7, 2, 3)), Context.eval()).value();
        assertClose(Tensor.of(new double[] {1, 2, 3, 1, 2, 3}, 2, 3), y, 1e-12);
    }

    @Test
    void layerNormInitIsWeightOneBiasZero() {
        Params p = new LayerNorm(4).init(new Rng(1), DType.F32);
        assertEquals(List.of("weight", "bias"), p.names());
        assertEquals(Tensor.ones(DType.F32, 4), p.get("weight").value());
        assertEquals(Tensor.zeros(DType.F32, 4), p.get("bias").value());
    }

    @Test
    void layerNormRejectsAMismatchedLastAxis() {
        LayerNorm norm = new LayerNorm(4);
        Params p = norm.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> norm.apply(p, Var.constant(Tensor.zeros(DType.F64, 2, 3)), Context.eval()));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    // ------------------------------------------------------------------ activations

    private static void assertElementwise(Activation activation, DoubleUnaryOperator f, Tensor x, double tol) {
        Tensor y = activation.apply(Params.empty(), Var.constant(x), Context.eval()).value();
        Tensor expected = Tensor.zeros(DType.F64, x.shape());
        for (int i = 0; i < x.size(); i++) {
            expected.storage().setDouble(i, f.applyAsDouble(x.storage().getDouble(i)));
        }
        assertClose(activation.toString(), expected, y, tol);
    }

    @Property(tries = 30)
    void activationsMatchTheirClosedForms(@ForAll long seed) {
        Tensor x = normal(new Rng(seed), 4, 25).mul(2.5).clamp(-6, 6);
        assertElementwise(Activation.relu(), v -> Math.max(v, 0), x, 0);
        assertElementwise(Activation.tanh(), Math::tanh, x, 1e-15);
        assertElementwise(Activation.sigmoid(), v -> 1 / (1 + Math.exp(-v)), x, 1e-15);
        assertElementwise(Activation.gelu(), v -> 0.5 * v * (1 + Naive.erf(v / Math.sqrt(2))), x, 1e-14);
    }

    @Test
    void geluIsExactNotTheTanhApproximation() {
        // at x = 1: exact 0.8413447460685429, tanh approximation 0.8411919906082768
        Tensor y = Activation.gelu().apply(Params.empty(), Var.constant(Tensor.of(new double[] {1})), Context.eval()).value();
        assertEquals(0.8413447460685429, y.item(), 1e-15);
    }

    @Test
    void activationsAreFoundByNameIgnoringCase() {
        assertEquals("ReLU", Activation.named("RELU").toString());
        assertEquals("GELU", Activation.named("gelu").toString());
        assertEquals("Tanh", Activation.named("Tanh").toString());
        assertEquals("Sigmoid", Activation.named("sigmoid").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.named("swish"));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
    }
}
