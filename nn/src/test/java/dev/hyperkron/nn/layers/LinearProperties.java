package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Naive;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Linear is x W^T + b on the last axis, for batches [N, in] and sequences [N, T, in], and a
 * Sequential's fused Linear and activation equal the two applied in turn.
 */
class LinearProperties {

    @Property(tries = 60)
    void mapsBatchesOfRows(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 7) int in,
                           @ForAll @IntRange(min = 1, max = 6) int out, @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Linear linear = new Linear(in, out, bias);
        Params p = linear.init(rng, DType.F64);
        Tensor x = normal(rng, n, in);
        Tensor y = linear.apply(p, Var.constant(x), Context.eval()).value();
        assertClose(Naive.linear(x, p.get("weight").value(), bias ? p.get("bias").value() : null), y, 1e-12);
    }

    @Property(tries = 60)
    void mapsEveryPositionOfASequence(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int t,
                                      @ForAll @IntRange(min = 1, max = 6) int in, @ForAll @IntRange(min = 1, max = 6) int out,
                                      @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Linear linear = new Linear(in, out, bias);
        Params p = linear.init(rng, DType.F64);
        Tensor x = normal(rng, n, t, in);
        Tensor y = linear.apply(p, Var.constant(x), Context.eval()).value();
        assertEquals(Shape.of(n, t, out), y.shape());
        assertClose(Naive.linear(x, p.get("weight").value(), bias ? p.get("bias").value() : null), y, 1e-12);
    }

    @Property(tries = 40)
    void aSequentialFusesALinearWithItsActivationWithoutChangingAValue(
            @ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 7) int in,
            @ForAll @IntRange(min = 1, max = 6) int hidden, @ForAll("activations") String activation,
            @ForAll boolean f32, @ForAll boolean observed, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential model = new Sequential(new Linear(in, hidden), Activation.named(activation), new Linear(hidden, 3),
                Activation.named(activation));
        Params p = model.init(rng, f32 ? DType.F32 : DType.F64);
        Tensor x = normal(rng, n, in).cast(p.get("0.weight").dtype());
        Context ctx = observed ? Context.eval().withObserver(new LayerObserver() {
            @Override
            public void onInput(CapturedLayer layer, Tensor input, Tensor positionMask) {
            }

            @Override
            public void onOutputGradient(CapturedLayer layer, Tensor gradOutput) {
            }
        }) : Context.eval();
        Function<Params, Var> fused = q -> model.apply(q, Var.constant(x), ctx).square().sum();
        Function<Params, Var> oneByOne = q -> {
            Var y = Var.constant(x);
            for (String name : model.childNames()) {
                y = model.child(name).apply(q.child(name), y, ctx.child(name));
            }
            return y.square().sum();
        };
        assertEquals(oneByOne.apply(p).value(), fused.apply(p).value());
        Params expected = Grad.grad(oneByOne, p);
        Params actual = Grad.grad(fused, p);
        for (String name : p.names()) {
            assertClose(expected.value(name).cast(DType.F64), actual.value(name).cast(DType.F64), 0);
        }
    }

    @Provide
    Arbitrary<String> activations() {
        return Arbitraries.of("relu", "tanh", "sigmoid", "gelu");
    }

    @Property(tries = 20)
    void initIsUniformWithinOneOverSqrtIn(@ForAll @IntRange(min = 1, max = 50) int in, @ForAll long seed) {
        Params p = new Linear(in, 40).init(new Rng(seed), DType.F64);
        assertEquals(List.of("weight", "bias"), p.names());
        assertEquals(Shape.of(40, in), p.get("weight").shape());
        assertEquals(Shape.of(40), p.get("bias").shape());
        double bound = 1 / Math.sqrt(in);
        for (Tensor t : p.values()) {
            assertTrue(t.abs().max().item() <= bound, () -> "values exceed the bound " + bound + ": " + t);
        }
    }

    @Test
    void initFillsTheWholeIntervalUniformly() {
        Tensor w = new Linear(16, 500).init(new Rng(3), DType.F64).get("weight").value();
        double bound = 0.25;
        // uniform on [-b, b]: mean 0, variance b^2 / 3; 8000 samples give a standard error of about 0.0016 on the mean
        assertEquals(0, w.mean().item(), 0.01);
        assertEquals(bound * bound / 3, w.square().mean().item(), 0.002);
        assertEquals(bound, w.abs().max().item(), 0.001);
    }

    @Test
    void rejectsInputsWhoseLastAxisIsNotInFeatures() {
        Linear linear = new Linear(3, 2);
        Params p = linear.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linear.apply(p, Var.constant(Tensor.zeros(DType.F64, 4, 5)), Context.eval().child("head")));
        assertTrue(e.getMessage().contains("'head'") && e.getMessage().contains("[4, 5]"), e.getMessage());
    }

    @Test
    void rejectsAVectorWithoutBatchAxisInsteadOfFailingInsideMatmul() {
        Linear linear = new Linear(3, 2);
        Params p = linear.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linear.apply(p, Var.constant(Tensor.zeros(DType.F64, 3)), Context.eval()));
        assertTrue(e.getMessage().startsWith("Linear(3 -> 2)") && e.getMessage().contains("[N, 3]"), e.getMessage());
    }

    @Test
    void mapsInputsWithSeveralLeadingAxes() {
        Linear linear = new Linear(3, 2);
        Params p = linear.init(new Rng(1), DType.F64);
        Tensor x = normal(new Rng(2), 2, 2, 2, 3);
        Tensor y = linear.apply(p, Var.constant(x), Context.eval()).value();
        assertClose(Naive.linear(x, p.get("weight").value(), p.get("bias").value()), y, 1e-12);
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2));
    }
}
