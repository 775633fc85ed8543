package dev.hyperkron.nn.models;

import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model builders produce PyTorch-named parameters of the right shapes, the right outputs and PyTorch's init. */
class ModelsTest {

    private static Map<String, Shape> shapes(Params p) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (String name : p.names()) {
            m.put(name, p.get(name).shape());
        }
        return m;
    }

    private static Shape outputShape(Sequential model, Params p, int... inputDims) {
        return model.apply(p, Var.constant(normal(new Rng(7), inputDims)), Context.eval()).shape();
    }

    /** Every weight and bias of a Linear or Conv2d layer lies within +-1/sqrt(fan_in) of its layer. */
    private static void assertWithinInitBounds(Params p, Map<String, Integer> fanIn) {
        fanIn.forEach((layer, fan) -> {
            double bound = 1 / Math.sqrt(fan);
            for (String kind : List.of("weight", "bias")) {
                Tensor t = p.get(layer + "." + kind).value();
                double max = t.abs().max().item();
                assertTrue(max <= bound, () -> layer + "." + kind + " exceeds 1/sqrt(" + fan + ")");
                if (t.size() >= 100) { // large enough to fill most of the interval
                    assertTrue(max >= 0.9 * bound, () -> layer + "." + kind + " only reaches " + max + " of " + bound);
                }
            }
        });
    }

    @Test
    void logisticRegressionIsFlattenThenOneLinearLayer() {
        Sequential model = Models.logisticRegression(28 * 28, 10);
        Params p = model.init(new Rng(1), DType.F32);
        assertEquals(Map.of("1.weight", Shape.of(10, 784), "1.bias", Shape.of(10)), shapes(p));
        assertEquals(List.of("1.weight", "1.bias"), p.names());
        assertEquals(Shape.of(5, 10), outputShape(model, p.map(v -> Var.leaf(v.value().cast(DType.F64))), 5, 1, 28, 28));
        assertWithinInitBounds(p, Map.of("1", 784));
    }

    @Test
    void mlpAlternatesLinearAndActivationLayers() {
        Sequential model = Models.mlp(64, new int[] {32, 16}, 10, Activation.relu());
        Params p = model.init(new Rng(2), DType.F64);
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("1.weight", Shape.of(32, 64));
        expected.put("1.bias", Shape.of(32));
        expected.put("3.weight", Shape.of(16, 32));
        expected.put("3.bias", Shape.of(16));
        expected.put("5.weight", Shape.of(10, 16));
        expected.put("5.bias", Shape.of(10));
        assertEquals(expected, shapes(p));
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"), p.names());
        assertEquals(Shape.of(3, 10), outputShape(model, p, 3, 1, 8, 8));
        assertEquals(64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10, p.numel());
        assertWithinInitBounds(p, Map.of("1", 64, "3", 32, "5", 16));
    }

    @Test
    void mlpWithoutHiddenLayersIsLogisticRegression() {
        Params p = Models.mlp(5, new int[0], 3, Activation.tanh()).init(new Rng(1), DType.F64);
        assertEquals(Map.of("1.weight", Shape.of(3, 5), "1.bias", Shape.of(3)), shapes(p));
    }

    @Test
    void lenetOnMnistSizedInputsUsesUnpaddedConvolutions() {
        // 28 -> conv5 24 -> pool 12 -> conv5 8 -> pool 4: 16 * 4 * 4 = 256 features
        Sequential model = Models.lenet(1, 28, 28, 10);
        Params p = model.init(new Rng(3), DType.F64);
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("0.weight", Shape.of(6, 1, 5, 5));
        expected.put("0.bias", Shape.of(6));
        expected.put("3.weight", Shape.of(16, 6, 5, 5));
        expected.put("3.bias", Shape.of(16));
        expected.put("7.weight", Shape.of(120, 256));
        expected.put("7.bias", Shape.of(120));
        expected.put("9.weight", Shape.of(84, 120));
        expected.put("9.bias", Shape.of(84));
        expected.put("11.weight", Shape.of(10, 84));
        expected.put("11.bias", Shape.of(10));
        assertEquals(expected, shapes(p));
        assertEquals(List.copyOf(expected.keySet()), p.names());
        assertEquals(Shape.of(2, 10), outputShape(model, p, 2, 1, 28, 28));
        assertWithinInitBounds(p, Map.of("0", 25, "3", 150, "7", 256, "9", 120, "11", 84));
    }

    @Test
    void lenetOnSmallInputsPadsToKeepTheSize() {
        // 8 -> conv5 pad 2: 8 -> pool 4 -> conv5 pad 2: 4 -> pool 2: 16 * 2 * 2 = 64 features
        Sequential model = Models.lenet(1, 8, 8, 10);
        Params p = model.init(new Rng(4), DType.F64);
        assertEquals(Shape.of(6, 1, 5, 5), p.get("0.weight").shape());
        assertEquals(Shape.of(16, 6, 5, 5), p.get("3.weight").shape());
        assertEquals(Shape.of(120, 64), p.get("7.weight").shape());
        assertEquals(Shape.of(4, 10), outputShape(model, p, 4, 1, 8, 8));
    }

    @Test
    void lenetOnColourImagesHasThreeInputChannels() {
        Sequential model = Models.lenet(3, 32, 32, 10);
        Params p = model.init(new Rng(5), DType.F64);
        assertEquals(Shape.of(6, 3, 5, 5), p.get("0.weight").shape());
        assertEquals(Shape.of(120, 16 * 5 * 5), p.get("7.weight").shape());
        assertEquals(Shape.of(1, 10), outputShape(model, p, 1, 3, 32, 32));
        assertWithinInitBounds(p, Map.of("0", 75));
    }

    @Test
    void lenetRejectsInputsTooSmallForTwoConvPoolStages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.lenet(1, 2, 2, 10));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
    }

    @Test
    void initIsReproducibleForAFixedSeed() {
        Sequential model = Models.lenet(1, 8, 8, 4);
        assertEquals(model.init(new Rng(9), DType.F32).values(), model.init(new Rng(9), DType.F32).values());
    }
}
