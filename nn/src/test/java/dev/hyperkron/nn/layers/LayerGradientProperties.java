package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.normal;

import dev.hyperkron.autodiff.GradCheck;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Every layer's gradients with respect to its input and to each of its parameters agree with
 * F64 central differences, and Hessian-vector products of Linear / Conv2d / LayerNorm stacks
 * agree with differences of gradients.
 */
class LayerGradientProperties {
    private static final double TOLERANCE = 1e-6;

    /** f(input, parameters...) = module(params, input), with a fresh context per evaluation. */
    private static java.util.function.Function<List<Var>, Var> asFunction(Module module, Params params, Supplier<Context> ctx) {
        return vars -> module.apply(params.withVars(vars.subList(1, vars.size())), vars.get(0), ctx.get());
    }

    private static List<Tensor> inputsAndParams(Tensor input, Params params) {
        List<Tensor> all = new ArrayList<>();
        all.add(input);
        all.addAll(params.values());
        return all;
    }

    private static void checkGradient(Module module, Tensor input, Rng rng, Supplier<Context> ctx) {
        Params params = module.init(rng, DType.F64);
        GradCheck.checkGradient(asFunction(module, params, ctx), inputsAndParams(input, params)).assertPasses(TOLERANCE);
    }

    private static void checkGradient(Module module, Tensor input, Rng rng) {
        checkGradient(module, input, rng, Context::eval);
    }

    private static void checkHvp(Module module, Tensor input, Rng rng, Supplier<Context> ctx) {
        Params params = module.init(rng, DType.F64);
        List<Tensor> at = inputsAndParams(input, params);
        List<Tensor> direction = new ArrayList<>();
        for (Tensor t : at) {
            direction.add(normal(rng, t.shape().dims()));
        }
        GradCheck.checkHvp(asFunction(module, params, ctx), at, direction).assertPasses(TOLERANCE);
    }

    /** Distinct values at least 0.3 apart, so no finite-difference step flips a max or crosses a ReLU kink. */
    private static Tensor wellSeparated(Rng rng, int... dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        int[] perm = rng.permutation(size);
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = 0.3 * (perm[i] - size / 2) + 0.1; // never 0
        }
        return Tensor.of(values, dims);
    }

    @Property(tries = 30)
    void linearOnRows(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int in,
                      @ForAll @IntRange(min = 1, max = 4) int out, @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        checkGradient(new Linear(in, out, bias), normal(rng, n, in), rng);
    }

    @Property(tries = 30)
    void linearOnSequences(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int t,
                           @ForAll @IntRange(min = 1, max = 4) int in, @ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        checkGradient(new Linear(in, 3, bias), normal(rng, n, t, in), rng);
    }

    @Property(tries = 20)
    void conv2dForEveryGeometryAndGroupCount(@ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvCase c = ConvCase.draw(rng);
        checkGradient(c.layer(), c.input(rng), rng);
    }

    @Property(tries = 30)
    void maxPool2dWithPaddingAndStride(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = ConvGeometry.square(k, stride, rng.nextInt(k / 2 + 1), 1);
        checkGradient(new MaxPool2d(g), wellSeparated(rng, 2, 2, k + 3, k + 2), rng);
    }

    @Property(tries = 30)
    void avgPool2dWithPaddingAndStride(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = ConvGeometry.square(k, stride, rng.nextInt(k / 2 + 1), 1);
        checkGradient(new AvgPool2d(g), normal(rng, 2, 2, k + 3, k + 2), rng);
    }

    @Property(tries = 20)
    void layerNorm(@ForAll @IntRange(min = 1, max = 6) int features, @ForAll long seed) {
        Rng rng = new Rng(seed);
        LayerNorm norm = new LayerNorm(features, 0.1);
        // random affine parameters: at the init values (1, 0) the parameter gradients are a special case
        Params params = norm.init(rng, DType.F64).withValues(List.of(normal(rng, features), normal(rng, features)));
        GradCheck.checkGradient(asFunction(norm, params, Context::eval),
                inputsAndParams(normal(rng, 3, 2, features), params)).assertPasses(TOLERANCE);
    }

    @Property(tries = 20)
    void activations(@ForAll long seed) {
        Rng rng = new Rng(seed);
        for (Activation a : List.of(Activation.relu(), Activation.tanh(), Activation.sigmoid(), Activation.gelu())) {
            checkGradient(a, wellSeparated(rng, 3, 5).mul(0.5), rng);
        }
    }

    @Test
    void flattenAndDropout() {
        Rng rng = new Rng(1);
        checkGradient(new Flatten(), normal(rng, 2, 3, 2, 2), rng);
        checkGradient(new Dropout(0.4), normal(rng, 4, 6), rng, () -> Context.train(new Rng(3)));
    }

    @Test
    void embeddingWithRespectToItsTable() {
        Embedding embedding = new Embedding(5, 3);
        Params params = embedding.init(new Rng(1), DType.F64);
        Var ids = Var.constant(Tensor.of(new long[] {4, 0, 4, 2, 2, 2}, 2, 3));
        GradCheck.checkGradient(vars -> embedding.apply(params.withVars(vars), ids, Context.eval()), params.values())
                .assertPasses(TOLERANCE);
    }

    @Property(tries = 10)
    void sequentialOfEveryKind(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential model = new Sequential(
                new Conv2d(2, 4, ConvGeometry.square(3, 1, 1, 1), 2, true), Activation.tanh(), new AvgPool2d(2),
                new Conv2d(4, 3, 2, 1, 0), Activation.gelu(), new Flatten(),
                new LayerNorm(3 * 2 * 2), new Linear(12, 3), Activation.sigmoid());
        checkGradient(model, normal(rng, 2, 2, 6, 6), rng);
    }

    @Property(tries = 10)
    void hessianVectorProductsOfALinearAndLayerNormStack(@ForAll boolean sequences, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential model = new Sequential(new Linear(4, 5), Activation.tanh(), new LayerNorm(5, 0.1),
                new Linear(5, 3, false), Activation.gelu(), new Linear(3, 2));
        checkHvp(model, sequences ? normal(rng, 2, 3, 4) : normal(rng, 3, 4), rng, Context::eval);
    }

    @Property(tries = 10)
    void hessianVectorProductsOfAConvolutionStack(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential model = new Sequential(
                new Conv2d(2, 3, new ConvGeometry(3, 2, 1, 2, 1, 0, 1, 1), 1, true), Activation.tanh(),
                new Conv2d(3, 3, ConvGeometry.square(2, 1, 0, 2), 3, false), Activation.sigmoid(),
                new Flatten(), new LayerNorm(9, 0.1), new Linear(9, 2));
        checkHvp(model, normal(rng, 2, 2, 5, 6), rng, Context::eval);
    }
}
