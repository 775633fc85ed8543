package dev.hyperkron.bench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.text.BertConfig;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2 ONNX model from the app's runtime dependency, named and transposed
 * by {@link BertCheckpoint}, against minilm-weights-golden.json, which
 * bench/scripts/minilm_weights_reference.py writes with Debian's python3-onnx, naming the
 * weights by another route (the exporter's node names). The 87 MB model is read once.
 */
class MiniLmCheckpointGoldenTest {
    private static BertCheckpoint checkpoint;
    private static Map<String, Object> golden;

    @BeforeAll
    static void load() throws IOException {
        checkpoint = BertCheckpoint.readOnnxResource(BertCheckpoint.MINILM_ONNX_RESOURCE);
        golden = Golden.read("minilm-weights-golden.json");
    }

    @Test
    void configIsReadOffTheGraphAndTheShapes() {
        Map<String, Object> c = Golden.object(golden.get("config"));
        assertEquals(new BertConfig(6, 384, 12, 1536, 30522, 512, 2, 1e-12), checkpoint.config());
        assertEquals((long) checkpoint.config().layers(), c.get("layers"));
        assertEquals((long) checkpoint.config().heads(), c.get("heads"));
        assertEquals((Double) c.get("layer_norm_eps"), checkpoint.config().layerNormEps(), 1e-18);
    }

    @Test
    void everyNamedTensorHasTheReferenceShapeSumAndElements() {
        Map<String, Object> tensors = Golden.object(golden.get("tensors"));
        assertEquals(new TreeSet<>(tensors.keySet()), new TreeSet<>(checkpoint.weights().keySet()));
        assertEquals(101, tensors.size());
        tensors.forEach((name, value) -> {
            Map<String, Object> expected = Golden.object(value);
            Tensor t = checkpoint.weight(name);
            assertEquals(Shape.of(Golden.ints(expected.get("shape"))), t.shape(), name);
            double sum = 0;
            double magnitude = 0;
            for (int i = 0; i < t.size(); i++) {
                sum += t.storage().getDouble(i);
                magnitude += Math.abs(t.storage().getDouble(i));
            }
            // F64 sums of the same F32 values in another order differ by rounding only.
            assertEquals((Double) expected.get("sum"), sum, 1e-12 * magnitude, name + " sum");
            Golden.object(expected.get("samples")).forEach((index, v) -> assertEquals(((Number) v).doubleValue(),
                    t.storage().getDouble(Integer.parseInt(index)), 0.0, name + "[" + index + "]"));
        });
    }

    @Test
    void everyLinearWeightIsOutByIn() {
        BertConfig c = checkpoint.config();
        for (int k = 0; k < c.layers(); k++) {
            String p = "encoder.layer." + k + ".";
            for (String square : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                assertEquals(Shape.of(c.hidden(), c.hidden()), checkpoint.weight(p + square + ".weight").shape());
            }
            assertEquals(Shape.of(c.intermediate(), c.hidden()), checkpoint.weight(p + "intermediate.dense.weight").shape());
            assertEquals(Shape.of(c.hidden(), c.intermediate()), checkpoint.weight(p + "output.dense.weight").shape());
        }
    }
}
