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
}
