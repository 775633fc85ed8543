package dev.hyperkron.nn.layers;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.Naive;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * What Linear and Conv2d report to a LayerObserver is exactly what KFAC assumes: the input the
 * weight multiplies, and the gradient of the loss with respect to the pre-bias output, which
 * together reconstruct every example's weight gradient.
 */
class CurvatureCaptureTest {

    /** Keeps every report, keyed by layer path, in arrival order. */
    static final class Recorder implements LayerObserver {
        final Map<String, CapturedLayer> layers = new LinkedHashMap<>();
        final Map<String, List<Tensor>> inputs = new LinkedHashMap<>();
        final Map<String, List<Tensor>> gradients = new LinkedHashMap<>();

        @Override
        public void onInput(CapturedLayer layer, Tensor input, Tensor positionMask) {
            layers.put(layer.path(), layer);
            inputs.computeIfAbsent(layer.path(), k -> new ArrayList<>()).add(input);
        }

        @Override
        public void onOutputGradient(CapturedLayer layer, Tensor gradOutput) {
            assertEquals(layers.get(layer.path()), layer, "the backward report names the layer of the forward report");
            gradients.computeIfAbsent(layer.path(), k -> new ArrayList<>()).add(gradOutput);
        }

        Tensor input(String path) {
            assertEquals(1, inputs.get(path).size(), "forward reports of " + path);
            return inputs.get(path).get(0);
        }

        Tensor gradient(String path) {
            assertEquals(1, gradients.get(path).size(), "backward reports of " + path);
            return gradients.get(path).get(0);
        }

        int reports() {
            int n = 0;
            for (List<Tensor> l : inputs.values()) {
                n += l.size();
            }
            for (List<Tensor> l : gradients.values()) {
                n += l.size();
            }
            return n;
        }
    }

    /** Mean cross-entropy of [N, C] logits with fixed labels (7 n + 3) mod C. */
    private static Var crossEntropy(Var logits) {
        int n = logits.dim(0);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + 3) % logits.dim(1);
        }
        return new CrossEntropyLoss().apply(logits, Tensor.of(labels), Reduction.MEAN);
    }

    /** A smooth scalar of outputs of any shape, weighted by a fixed random tensor. */
    private static Function<Var, Var> weightedTanhSum(long seed) {
        return out -> out.tanh().mul(Var.constant(normal(new Rng(seed), out.shape().dims()))).sum();
    }

    /**
     * The gradient of the loss with respect to the pre-bias output of child {@code layer}, computed
     * without the layer: its pre-bias output is computed by naive loops and spliced in as a leaf.
     */
    private static Tensor gradientAtSplicedOutput(Sequential model, Params params, Tensor x, String layer,
                                                  Function<Var, Var> loss) {
        Var h = Var.constant(x);
        Var spliced = null;
        for (String name : model.childNames()) {
            Module m = model.child(name);
            Params p = params.child(name);
            if (!name.equals(layer)) {
                h = m.apply(p, h, Context.eval());
                continue;
            }
            Tensor w = p.get("weight").value();
            Var b = p.contains("bias") ? p.get("bias") : null;
            if (m instanceof Linear) {
                spliced = Var.leaf(Naive.linear(h.value(), w, null));
                h = b == null ? spliced : spliced.add(b);
            } else {
                ConvGeometry g = ((Conv2d) m).geometry();
                Tensor out = Naive.conv2d(h.value(), w, null, g, 1);
                Shape image = out.shape();
                spliced = Var.leaf(out.reshape(image.dim(0), image.dim(1), -1));
                Var y = b == null ? spliced : spliced.add(b.reshape(image.dim(1), 1));
                h = y.reshape(image);
            }
        }
        return Grad.grad(loss.apply(h), List.of(spliced)).get(0).value();
    }

    /** sum_n g_n^T a_n by loops: a [N, (T,) in] with g [N, (T,) out] for Linear, a [N, in, L] with g [N, out, L] for Conv2d. */
    private static Tensor weightGradientFromCaptures(CapturedLayer layer, Tensor a, Tensor g) {
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        Tensor dw = Tensor.zeros(DType.F64, out, in);
        boolean conv = layer.kind() == CapturedLayer.Kind.CONV2D;
        int n = a.dim(0);
        int positions = conv ? a.dim(2) : a.size() / (n * in);
        for (int e = 0; e < n; e++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double acc = 0;
                    for (int t = 0; t < positions; t++) {
                        acc += conv ? g.get(e, o, t) * a.get(e, i, t)
                                : g.storage().getDouble((e * positions + t) * out + o)
                                * a.storage().getDouble((e * positions + t) * in + i);
                    }
                    dw.storage().setDouble(o * in + i, dw.get(o, i) + acc);
                }
            }
        }
        return dw;
    }

    private static Sequential mlp(boolean firstBias, boolean secondBias) {
        return new Sequential(new Linear(4, 5, firstBias), Activation.tanh(), new Linear(5, 3, secondBias));
    }

    private static Sequential cnn(ConvGeometry geometry, boolean bias, int height, int width) {
        Conv2d conv = new Conv2d(2, 3, geometry, 1, bias);
        int features = 3 * geometry.outHeight(height) * geometry.outWidth(width);
        return new Sequential(conv, Activation.tanh(), new Flatten(), new Linear(features, 4));
    }

    // ------------------------------------------------------------------ forward reports

    @Test
    void linearReportsItsInputAndDescribesItself() {
        Rng rng = new Rng(1);
        Sequential model = mlp(true, false);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 6, 4);
        Recorder recorder = new Recorder();
        model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));

        assertEquals(List.of("0", "2"), List.copyOf(recorder.layers.keySet()));
        assertEquals(new CapturedLayer("0", CapturedLayer.Kind.LINEAR, "0.weight", "0.bias", 4, 5, null),
                recorder.layers.get("0"));
        assertEquals(new CapturedLayer("2", CapturedLayer.Kind.LINEAR, "2.weight", null, 5, 3, null),
                recorder.layers.get("2"));
        assertTrue(recorder.layers.get("0").hasBias());
        assertEquals(x, recorder.input("0"));
        Tensor hidden = Naive.linear(x, params.get("0.weight").value(), params.get("0.bias").value()).tanh();
        assertClose(hidden, recorder.input("2"), 1e-14);
        assertTrue(recorder.gradients.isEmpty(), "no backward pass, no gradient reports");
    }

    @Test
    void linearOnSequencesReportsTheWholeSequence() {
        Rng rng = new Rng(2);
        Sequential model = mlp(true, true);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 2, 5, 4);
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Grad.grad(weightedTanhSum(3).apply(out), params.vars());
        assertEquals(x, recorder.input("0"));
        assertEquals(Shape.of(2, 5, 5), recorder.input("2").shape());
        assertEquals(Shape.of(2, 5, 5), recorder.gradient("0").shape());
        assertEquals(Shape.of(2, 5, 3), recorder.gradient("2").shape());
    }

    @Property(tries = 40)
    void conv2dReportsTheUnfoldedPatchesItMultiplies(@ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = new ConvGeometry(1 + rng.nextInt(3), 1 + rng.nextInt(3), 1 + rng.nextInt(2), 1 + rng.nextInt(2),
                rng.nextInt(2), rng.nextInt(2), 1 + rng.nextInt(2), 1);
        Conv2d conv = new Conv2d(2, 3, g, 1, bias);
        Params params = conv.init(rng, DType.F64);
        Tensor x = normal(rng, 2, 2, 5 + rng.nextInt(3), 4 + rng.nextInt(3));
        Recorder recorder = new Recorder();
        Tensor y = conv.apply(params, Var.constant(x), Context.eval().withObserver(recorder).child("features")).value();

        CapturedLayer layer = recorder.layers.get("features");
        assertEquals(new CapturedLayer("features", CapturedLayer.Kind.CONV2D, "features.weight",
                bias ? "features.bias" : null, 2 * g.taps(), 3, g), layer);
        Tensor patches = recorder.input("features");
        assertEquals(Naive.unfold(x, g), patches);
        // the weight as a [out, in * kH * kW] matrix times the patches (plus bias) is the convolution
        Tensor wMat = params.get("weight").value().reshape(3, -1);
        Tensor recomposed = Naive.linear(patches.transpose(1, 2), wMat, bias ? params.get("bias").value() : null)
                .transpose(1, 2).reshape(y.shape());
        assertClose(y, recomposed, 1e-12);
    }

    // ------------------------------------------------------------------ backward reports

    @Property(tries = 30)
    void linearReportsTheGradientWithRespectToItsPreBiasOutput(@ForAll boolean firstBias, @ForAll boolean secondBias,
                                                               @ForAll boolean sequences, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential model = mlp(firstBias, secondBias);
        Params params = model.init(rng, DType.F64);
        Tensor x = sequences ? normal(rng, 3, 2, 4) : normal(rng, 5, 4);
        Function<Var, Var> loss = sequences ? weightedTanhSum(seed) : CurvatureCaptureTest::crossEntropy;
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Grad.grad(loss.apply(out), params.vars());

        for (String layer : List.of("0", "2")) {
            assertClose("layer " + layer, gradientAtSplicedOutput(model, params, x, layer, loss),
                    recorder.gradient(layer), 1e-12);
        }
    }

    @Property(tries = 30)
    void conv2dReportsTheGradientWithRespectToItsPreBiasOutput(@ForAll boolean bias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = new ConvGeometry(2, 3, 2, 1, 1, 0, 1, 2);
        Sequential model = cnn(g, bias, 5, 7);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 3, 2, 5, 7);
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Grad.grad(crossEntropy(out), params.vars());

        Tensor reported = recorder.gradient("0");
        assertEquals(Shape.of(3, 3, g.outHeight(5) * g.outWidth(7)), reported.shape());
        assertClose(gradientAtSplicedOutput(model, params, x, "0", CurvatureCaptureTest::crossEntropy), reported, 1e-12);
        assertClose(gradientAtSplicedOutput(model, params, x, "3", CurvatureCaptureTest::crossEntropy),
                recorder.gradient("3"), 1e-12);
    }

    @Property(tries = 20)
    void capturedInputsAndGradientsSumToTheWeightAndBiasGradients(@ForAll boolean bias, @ForAll boolean sequences,
                                                                  @ForAll long seed) {
        Rng rng = new Rng(seed);
        ConvGeometry g = ConvGeometry.square(3, 2, 1, 1);
        Sequential model = sequences ? mlp(bias, bias) : cnn(g, bias, 6, 5);
        Params params = model.init(rng, DType.F64);
        Tensor x = sequences ? normal(rng, 3, 4, 4) : normal(rng, 3, 2, 6, 5);
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Var loss = sequences ? weightedTanhSum(seed).apply(out) : crossEntropy(out);
        List<Var> grads = Grad.grad(loss, params.vars());

        for (CapturedLayer layer : recorder.layers.values()) {
            Tensor dw = grads.get(params.names().indexOf(layer.weightName())).value();
            Tensor a = recorder.input(layer.path());
            Tensor gOut = recorder.gradient(layer.path());
            assertClose(layer.weightName(), dw.reshape(layer.outFeatures(), layer.inFeatures()),
                    weightGradientFromCaptures(layer, a, gOut), 1e-12);
            if (layer.hasBias()) {
                Tensor db = grads.get(params.names().indexOf(layer.biasName())).value();
                Tensor summed = layer.kind() == CapturedLayer.Kind.CONV2D ? gOut.sum(new int[] {0, 2}, false)
                        : gOut.reshape(-1, layer.outFeatures()).sum(0, false);
                assertClose(layer.biasName(), db, summed, 1e-12);
            }
        }
    }

    @Test
    void eachExamplesCapturesGiveThatExamplesWeightGradient() {
        Rng rng = new Rng(5);
        ConvGeometry g = ConvGeometry.square(2, 1, 0, 1);
        Sequential model = cnn(g, true, 4, 4);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 3, 2, 4, 4);
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Grad.grad(crossEntropy(out).mul(3), params.vars()); // sum over examples: example n's loss alone drives row n

        for (int n = 0; n < 3; n++) {
            Tensor single = x.slice(0, n, n + 1);
            Var perExample = crossEntropyOfExample(model, params, single, n);
            List<Var> grads = Grad.grad(perExample, params.vars());
            for (CapturedLayer layer : recorder.layers.values()) {
                Tensor a = recorder.input(layer.path()).slice(0, n, n + 1);
                Tensor gOut = recorder.gradient(layer.path()).slice(0, n, n + 1);
                Tensor dw = grads.get(params.names().indexOf(layer.weightName())).value();
                assertClose(layer.weightName() + " of example " + n, dw.reshape(layer.outFeatures(), layer.inFeatures()),
                        weightGradientFromCaptures(layer, a, gOut), 1e-12);
            }
        }
    }

    // The loss of example n alone, with the label crossEntropy gives it in the batch.
    private static Var crossEntropyOfExample(Sequential model, Params params, Tensor single, int n) {
        Var logits = model.apply(params, Var.constant(single), Context.eval());
        long label = (n * 7 + 3) % logits.dim(1);
        return new CrossEntropyLoss().apply(logits, Tensor.of(new long[] {label}), Reduction.SUM);
    }

    // ------------------------------------------------------------------ when nothing (else) is reported

    @Test
    void withoutAnObserverResultsAreIdenticalAndNothingIsReported() {
        Rng rng = new Rng(6);
        Sequential model = new Sequential(new Conv2d(2, 3, 3, 1, 1), Activation.relu(), new Flatten(),
                new Linear(3 * 16, 4));
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 2, 2, 4, 4);
        Recorder recorder = new Recorder();
        Var observed = model.apply(params, Var.constant(x), Context.eval().withObserver(recorder));
        Params observedGrads = Grad.grad(crossEntropy(observed), params);
        int reports = recorder.reports();

        Var plain = model.apply(params, Var.constant(x), Context.eval());
        Params plainGrads = Grad.grad(crossEntropy(plain), params);
        assertEquals(4, reports);
        assertEquals(reports, recorder.reports(), "a run without the observer reports nothing to it");
        assertEquals(observed.value(), plain.value());
        assertEquals(observedGrads.values(), plainGrads.values());
    }

    @Test
    void groupedConvolutionsReportNothing() {
        Rng rng = new Rng(7);
        Sequential model = new Sequential(new Conv2d(4, 4, ConvGeometry.square(3, 1, 1, 1), 2, true), Activation.tanh(),
                new Flatten(), new Linear(4 * 9, 3));
        Params params = model.init(rng, DType.F64);
        Recorder recorder = new Recorder();
        Var out = model.apply(params, Var.constant(normal(rng, 2, 4, 3, 3)), Context.eval().withObserver(recorder));
        Grad.grad(crossEntropy(out), params.vars());
        assertEquals(List.of("3"), List.copyOf(recorder.layers.keySet()), "only the Linear layer reports");
        assertEquals(List.of("3"), List.copyOf(recorder.gradients.keySet()));
    }

    @Test
    void everyBackwardPassReportsAgain() {
        Rng rng = new Rng(8);
        Sequential model = mlp(true, true);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 4, 4);
        Recorder recorder = new Recorder();
        Var loss = crossEntropy(model.apply(params, Var.constant(x), Context.eval().withObserver(recorder)));
        Grad.grad(loss, params, Grad.Options.DEFAULT.retainGraph());
        Grad.grad(loss.mul(2), params, Grad.Options.DEFAULT.retainGraph());
        List<Tensor> reports = recorder.gradients.get("2");
        assertEquals(2, reports.size());
        assertClose(reports.get(0).mul(2), reports.get(1), 1e-14);
    }

    @Test
    void hessianVectorProductsAreUnchangedByAnObserver() {
        Rng rng = new Rng(9);
        Sequential model = cnn(ConvGeometry.square(2, 1, 0, 1), true, 3, 3);
        Params params = model.init(rng, DType.F64);
        Tensor x = normal(rng, 2, 2, 3, 3);
        Params v = params.mapValues(t -> normal(rng, t.shape().dims()));
        Recorder recorder = new Recorder();
        Params observed = Grad.hvp(p -> crossEntropy(model.apply(p, Var.constant(x),
                Context.eval().withObserver(recorder))), params, v);
        Params plain = Grad.hvp(p -> crossEntropy(model.apply(p, Var.constant(x), Context.eval())), params, v);
        assertEquals(plain.values(), observed.values());
        assertTrue(recorder.gradients.containsKey("0"));
    }

    @Test
    void nestedModulesReportFullParameterNames() {
        Map<String, Module> children = new LinkedHashMap<>();
        children.put("features", new Sequential(new Conv2d(1, 2, 3, 1, 1), Activation.relu()));
        children.put("flatten", new Flatten());
        children.put("classifier", new Sequential(new Linear(2 * 9, 3, false)));
        Sequential model = new Sequential(children);
        Params params = model.init(new Rng(10), DType.F64);
        Recorder recorder = new Recorder();
        model.apply(params, Var.constant(normal(new Rng(11), 1, 1, 3, 3)), Context.eval().withObserver(recorder));
        CapturedLayer conv = recorder.layers.get("features.0");
        CapturedLayer linear = recorder.layers.get("classifier.0");
        assertEquals("features.0.weight", conv.weightName());
        assertEquals("features.0.bias", conv.biasName());
        assertEquals("classifier.0.weight", linear.weightName());
        assertNull(linear.biasName());
        assertTrue(params.names().containsAll(List.of(conv.weightName(), conv.biasName(), linear.weightName())));
    }
}
