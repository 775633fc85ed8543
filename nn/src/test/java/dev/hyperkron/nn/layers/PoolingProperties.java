package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Naive;
import dev.hyperkron.autodiff.Params;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Max and average pooling compute the plain window loops, with PyTorch's padding conventions. */
class PoolingProperties {

    // PyTorch requires padding <= kernel / 2, so every window holds at least one real element.
    private static ConvGeometry drawGeometry(Rng rng) {
        int kh = 1 + rng.nextInt(3);
        int kw = 1 + rng.nextInt(3);
        return new ConvGeometry(kh, kw, 1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(kh / 2 + 1),
                rng.nextInt(kw / 2 + 1), 1, 1);
    }

    private static Tensor drawInput(Rng rng, ConvGeometry g) {
        return normal(rng, 1 + rng.nextInt(2), 1 + rng.nextInt(3), g.kernelH() + rng.nextInt(5), g.kernelW() + rng.nextInt(5));
    }

    @Property(tries = 200)
    void maxPoolTakesTheLargestRealElementOfEachWindow(@ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = drawGeometry(rng);
        Tensor x = drawInput(rng, g).sub(10); // all negative: a zero from the padding would win if it counted
        Tensor y = new MaxPool2d(g).apply(Params.empty(), Var.constant(x), Context.eval()).value();
        assertClose(g.toString(), Naive.maxPool2d(x, g), y, 0);
    }

    @Property(tries = 200)
    void avgPoolDividesEveryWindowSumByTheKernelSize(@ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = drawGeometry(rng);
        Tensor x = drawInput(rng, g);
        Tensor y = new AvgPool2d(g).apply(Params.empty(), Var.constant(x), Context.eval()).value();
        assertClose(g.toString(), Naive.avgPool2d(x, g), y, 1e-12);
    }

    @Property(tries = 20)
    void theSquareConstructorsUseNonOverlappingWindows(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll long seed) {
        Tensor x = normal(new Rng(seed), 2, 2, 3 * k + 1, 2 * k);
        ConvGeometry g = ConvGeometry.square(k, k, 0, 1);
        assertClose(Naive.maxPool2d(x, g), new MaxPool2d(k).apply(Params.empty(), Var.constant(x), Context.eval()).value(), 0);
        assertClose(Naive.avgPool2d(x, g), new AvgPool2d(k).apply(Params.empty(), Var.constant(x), Context.eval()).value(), 1e-12);
    }

    @Test
    void maxPoolOfTwoByTwoPicksEachQuadrantsMaximum() {
        Tensor x = Tensor.of(new double[] {
            1, 5, 2, 0,
            3, 4, 8, 1,
            0, 0, -1, -2,
            9, 0, -3, -4}, 1, 1, 4, 4);
        Tensor y = new MaxPool2d(2).apply(Params.empty(), Var.constant(x), Context.eval()).value();
        assertClose(Tensor.of(new double[] {5, 8, 9, -1}, 1, 1, 2, 2), y, 0);
    }
}
