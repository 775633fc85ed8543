package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Naive;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Conv2d computes the direct (7-loop) convolution for every stride, padding, dilation and group count. */
class Conv2dProperties {

    @Property(tries = 200)
    void matchesTheDirectConvolution(@ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvCase c = ConvCase.draw(rng);
        Conv2d conv = c.layer();
        Params p = conv.init(rng, DType.F64);
        Tensor x = c.input(rng);
        Tensor y = conv.apply(p, Var.constant(x), Context.eval()).value();
        Tensor expected = Naive.conv2d(x, p.get("weight").value(), c.bias() ? p.get("bias").value() : null,
                c.geometry(), c.groups());
        assertClose(c.toString(), expected, y, 1e-12);
    }

    @Property(tries = 30)
    void matchesTheDirectConvolutionInF32(@ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvCase c = ConvCase.draw(rng);
        Conv2d conv = c.layer();
        Params p = conv.init(rng, DType.F32);
        Tensor x = c.input(rng).cast(DType.F32);
        Tensor y = conv.apply(p, Var.constant(x), Context.eval()).value();
        assertEquals(DType.F32, y.dtype());
        Tensor expected = Naive.conv2d(x, p.get("weight").value(), c.bias() ? p.get("bias").value() : null,
                c.geometry(), c.groups());
        assertClose(c.toString(), expected, y.cast(DType.F64), 1e-5);
    }

    @Property(tries = 20)
    void initIsUniformWithinOneOverSqrtFanInOfTheGroup(@ForAll @IntRange(min = 1, max = 3) int groups,
                                                     @ForAll @IntRange(min = 1, max = 3) int kernel,
                                                     @ForAll long seed) {
        Conv2d conv = new Conv2d(2 * groups, 3 * groups, ConvGeometry.square(kernel, 1, 0, 1), groups, true);
        Params p = conv.init(new Rng(seed), DType.F64);
        assertEquals(List.of("weight", "bias"), p.names());
        assertEquals(Shape.of(3 * groups, 2, kernel, kernel), p.get("weight").shape());
        assertEquals(Shape.of(3 * groups), p.get("bias").shape());
        double bound = 1 / Math.sqrt(2.0 * kernel * kernel);
        for (Tensor t : p.values()) {
            assertTrue(t.abs().max().item() <= bound, () -> "values exceed the bound " + bound + ": " + t);
        }
    }

    @Test
    void withoutBiasHasOnlyAWeight() {
        Conv2d conv = new Conv2d(2, 4, ConvGeometry.square(3, 1, 1, 1), 2, false);
        assertEquals(List.of("weight"), conv.init(new Rng(1), DType.F64).names());
    }

    @Test
    void rejectsChannelCountsNotDivisibleByGroups() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 4, ConvGeometry.square(3, 1, 0, 1), 2, true));
        assertTrue(e.getMessage().contains("groups (2)"), e.getMessage());
    }

    @Test
    void rejectsInputWithTheWrongChannelCountNamingTheLayerPath() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        Params p = conv.init(new Rng(1), DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.apply(p, Var.constant(Tensor.zeros(DType.F64, 1, 2, 5, 5)), Context.eval().child("features")));
        assertTrue(e.getMessage().contains("'features'") && e.getMessage().contains("[N, 3, H, W]")
                && e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
    }
}
