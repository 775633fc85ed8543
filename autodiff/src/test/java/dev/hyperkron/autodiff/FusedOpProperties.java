package dev.hyperkron.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Ops whose backward takes a shortcut give the gradients of the composition they stand for, bit
 * for bit, to first and second order (finite differences are {@link OpGradientProperties}' job).
 */
class FusedOpProperties {

    @Property(tries = 50)
    void aSquaredNormHasTheGradientsOfTheProductAndSum(@ForAll long seed, @ForAll boolean f32,
                                                       @ForAll @IntRange(min = 1, max = 40) int rows,
                                                       @ForAll @IntRange(min = 1, max = 40) int columns) {
        Rng rng = new Rng(seed);
        DType dtype = f32 ? DType.F32 : DType.F64;
        Tensor x = Tensor.randn(rng, dtype, rows, columns);
        Tensor v = Tensor.randn(rng, dtype, rows, columns);
        Var scale = Var.scalar(dtype, 0.37);
        Params at = Params.single("x", Var.leaf(x));
        Params tangent = Params.constants(List.of("x"), List.of(v));
        Params fused = Grad.grad(p -> p.get("x").dot(p.get("x")).mul(scale), at);
        Params unfused = Grad.grad(p -> p.get("x").mul(p.get("x")).sum().mul(scale), at);
        assertEquals(unfused.value("x"), fused.value("x"));
        Params fusedHvp = Grad.hvp(p -> p.get("x").dot(p.get("x")).mul(scale), at, tangent);
        Params unfusedHvp = Grad.hvp(p -> p.get("x").mul(p.get("x")).sum().mul(scale), at, tangent);
        assertEquals(unfusedHvp.value("x"), fusedHvp.value("x"));
    }

    @Property(tries = 60)
    void aFusedLinearLayerHasTheValuesGradientsAndCurvatureOfItsUnfusedOps(
            @ForAll long seed, @ForAll boolean f32, @ForAll boolean withBias, @ForAll boolean sequence,
            @ForAll FusedActivation activation,
            @ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 40) int in,
            @ForAll @IntRange(min = 1, max = 40) int out) {
        Rng rng = new Rng(seed);
        DType dtype = f32 ? DType.F32 : DType.F64;
        int[] inputDims = sequence ? new int[] {rows, 3, in} : new int[] {rows, in};
        Params at = Params.single("x", Var.leaf(Tensor.randn(rng, dtype, inputDims)))
                .merge(Params.single("w", Var.leaf(Tensor.randn(rng, dtype, out, in))))
                .merge(Params.single("b", Var.leaf(Tensor.randn(rng, dtype, out))));
        Tensor cotangent = Tensor.randn(rng, dtype, sequence ? new int[] {rows, 3, out} : new int[] {rows, out});
        java.util.function.Function<Params, Var> fused = p -> p.get("x")
                .linear(p.get("w"), withBias ? p.get("b") : null, activation)
                .mul(Var.constant(cotangent)).square().sum().add(p.get("b").sum());
        java.util.function.Function<Params, Var> unfused = p -> {
            Var z = p.get("x").matmul(p.get("w"), false, true);
            return activation.apply(withBias ? z.add(p.get("b")) : z)
                    .mul(Var.constant(cotangent)).square().sum().add(p.get("b").sum());
        };
        assertEquals(unfused.apply(at).value(), fused.apply(at).value());
        assertSameValues(Grad.grad(unfused, at), Grad.grad(fused, at));
        Params tangent = at.mapValues(v -> Tensor.randn(rng, dtype, v.shape().dims()));
        assertSameValues(Grad.hvp(unfused, at, tangent), Grad.hvp(fused, at, tangent));
    }

    // Equal values: a masked gradient may be +0 where the unfused product gives -0.
    private static void assertSameValues(Params expected, Params actual) {
        for (String name : expected.names()) {
            double[] e = expected.value(name).toDoubleArray();
            double[] a = actual.value(name).toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    throw new AssertionError(name + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
                }
            }
        }
    }
}
