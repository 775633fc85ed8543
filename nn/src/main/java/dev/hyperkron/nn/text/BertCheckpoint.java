package dev.hyperkron.nn.text;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Json;
import dev.hyperkron.core.io.JsonException;
import dev.hyperkron.core.io.Onnx;
import dev.hyperkron.core.io.OnnxModel;
import dev.hyperkron.core.io.OnnxNode;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The weights of a pretrained BERT encoder under one canonical naming, whatever file they came
 * from, plus the {@link BertConfig} they imply: the model code asks for
 * {@code encoder.layer.3.attention.self.query.weight} and gets a [out, in] matrix (PyTorch's
 * Linear layout) whether the source was an ONNX export (anonymous, transposed MatMul weights)
 * or a Hugging Face safetensors checkpoint ({@code bert.} prefix, old {@code gamma}/{@code
 * beta} LayerNorm names, half precision).
 *
 * <p>Canonical names ({@link #names(BertConfig)} lists them in order; K = 0 .. layers-1):
 * <pre>
 * embeddings.word_embeddings.weight        [vocabSize, hidden]
 * embeddings.position_embeddings.weight    [maxPositions, hidden]
 * embeddings.token_type_embeddings.weight  [typeVocabSize, hidden]
 * embeddings.LayerNorm.{weight,bias}       [hidden]
 * encoder.layer.K.attention.self.{query,key,value}.weight  [hidden, hidden]   .bias [hidden]
 * encoder.layer.K.attention.output.dense.weight            [hidden, hidden]   .bias [hidden]
 * encoder.layer.K.attention.output.LayerNorm.{weight,bias} [hidden]
 * encoder.layer.K.intermediate.dense.weight                [intermediate, hidden] .bias [intermediate]
 * encoder.layer.K.output.dense.weight                      [hidden, intermediate] .bias [hidden]
 * encoder.layer.K.output.LayerNorm.{weight,bias}           [hidden]
 * pooler.dense.{weight [hidden, hidden], bias [hidden]}    only when the source has a pooler
 * </pre>
 * Every tensor is checked against these shapes on loading; a missing or misshapen one is a
 * {@link TensorFileException} naming the source and the tensor.
 */
public record BertCheckpoint(BertConfig config, Map<String, Tensor> weights) {
    /** The class path resource of all-MiniLM-L6-v2 in the langchain4j artifact the app depends on. */
    public static final String MINILM_ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Its tokenizer, in the same artifact. */
    public static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private static final String[] LAYER_LINEARS = {"attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense", "intermediate.dense", "output.dense"};
    private static final String[] LAYER_NORMS = {"attention.output.LayerNorm", "output.LayerNorm"};

    public BertCheckpoint {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** The tensor with this canonical name; an unknown name is an error that shows the naming. */
    public Tensor weight(String name) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalArgumentException("BertCheckpoint: no weight named \"" + name + "\"; names look like "
                    + "encoder.layer.0.attention.self.query.weight (see BertCheckpoint.names)");
        }
        return t;
    }

    /** Whether the checkpoint has the pooler (a dense layer with tanh on the [CLS] state). */
    public boolean hasPooler() {
        return weights.containsKey("pooler.dense.weight");
    }

    /** The canonical names of a model with this config, embeddings first, then layer by layer (without the pooler). */
    public static List<String> names(BertConfig config) {
        List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int k = 0; k < config.layers(); k++) {
            for (String linear : LAYER_LINEARS) {
                names.add(layerPrefix(k) + linear + ".weight");
                names.add(layerPrefix(k) + linear + ".bias");
                if (linear.equals("attention.output.dense")) {
                    names.add(layerPrefix(k) + "attention.output.LayerNorm.weight");
                    names.add(layerPrefix(k) + "attention.output.LayerNorm.bias");
                }
            }
            names.add(layerPrefix(k) + "output.LayerNorm.weight");
            names.add(layerPrefix(k) + "output.LayerNorm.bias");
        }
        return names;
    }

    private static String layerPrefix(int k) {
        return "encoder.layer." + k + ".";
    }

    /** The shape every canonical name must have under this config. */
    static Shape expectedShape(BertConfig c, String name) {
        int h = c.hidden();
        if (name.startsWith("embeddings.")) {
            return switch (name) {
                case "embeddings.word_embeddings.weight" -> Shape.of(c.vocabSize(), h);
                case "embeddings.position_embeddings.weight" -> Shape.of(c.maxPositions(), h);
                case "embeddings.token_type_embeddings.weight" -> Shape.of(c.typeVocabSize(), h);
                default -> Shape.of(h);
            };
        }
        boolean weight = name.endsWith(".weight");
        if (name.contains("LayerNorm")) {
            return Shape.of(h);
        } else if (name.contains(".intermediate.dense.")) {
            return weight ? Shape.of(c.intermediate(), h) : Shape.of(c.intermediate());
        } else if (name.contains(".output.dense.") && !name.contains("attention")) {
            return weight ? Shape.of(h, c.intermediate()) : Shape.of(h);
        }
        return weight ? Shape.of(h, h) : Shape.of(h);
    }

    // ---------------------------------------------------------------- ONNX

    /** Reads an ONNX export of a BERT encoder (as Hugging Face Optimum / torch.onnx write them). */
    public static BertCheckpoint readOnnx(Path file) throws IOException {
        return fromOnnx(Onnx.read(file));
    }

    /** Reads an ONNX export from the class path, such as {@link #MINILM_ONNX_RESOURCE}. */
    public static BertCheckpoint readOnnxResource(String resource) throws IOException {
        try (InputStream in = Resources.open(resource, "ONNX model")) {
            return fromOnnx(Onnx.read(in, "class path resource " + resource));
        }
    }

    /**
     * Names the weights of an ONNX graph and reads the config off it. Biases, LayerNorms and
     * embeddings keep their PyTorch names in an export; each Linear weight is an anonymous
     * initializer ({@code onnx::MatMul_787}, [in, out]) whose MatMul output feeds an Add with
     * the named bias: that bias names it, and it is transposed to [out, in]. The number of
     * heads is read off the Reshape that splits layer 0's query into heads, and the LayerNorm
     * epsilon off the embeddings' LayerNorm (a LayerNormalization node or its decomposition).
     */
    public static BertCheckpoint fromOnnx(OnnxModel model) throws TensorFileException {
        String source = model.source();
        Map<String, Tensor> named = new LinkedHashMap<>();
        model.initializers().forEach((name, t) -> {
            if (isBertBodyName(name)) {
                named.put(name, t);
            }
        });
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        Map<String, OnnxNode> producers = new HashMap<>();
        for (OnnxNode node : model.nodes()) {
            node.inputs().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node));
            node.outputs().forEach(out -> producers.put(out, node));
        }
        Map<String, String> biasAddOutputs = new HashMap<>();
        for (OnnxNode node : model.nodes()) {
            if (!node.opType().equals("MatMul") || node.inputs().size() != 2 || node.outputs().size() != 1) {
                continue;
            }
            String weightName = node.inputs().get(1);
            Tensor w = model.initializers().get(weightName);
            if (w == null || isBertBodyName(weightName) || w.rank() != 2) {
                continue;
            }
            for (OnnxNode add : consumers.getOrDefault(node.outputs().get(0), List.of())) {
                String bias = add.opType().equals("Add") ? namedBias(add, node.outputs().get(0), model) : null;
                if (bias == null) {
                    continue;
                }
                String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
                if (named.containsKey(name)) {
                    throw new TensorFileException(source, "two weights are named " + name + " (" + weightName
                            + " feeds the Add with " + bias + ", but the name is already taken)");
                }
                named.put(name, w.t());
                biasAddOutputs.put(name, add.outputs().get(0));
            }
        }
        Shape wordShape = requireRank2(source, named, "embeddings.word_embeddings.weight");
        int hidden = wordShape.dim(1);
        int heads = onnxHeads(source, model, consumers, biasAddOutputs.get("encoder.layer.0.attention.self.query.weight"), hidden);
        double eps = onnxLayerNormEps(source, model, consumers, producers);
        return build(source, named, heads, eps);
    }

    /** The bias name when {@code add} adds a named *.bias initializer to {@code matmulOutput}, else null. */
    private static String namedBias(OnnxNode add, String matmulOutput, OnnxModel model) {
        if (add.inputs().size() != 2 || !add.inputs().contains(matmulOutput)) {
            return null;
        }
        String other = add.inputs().get(0).equals(matmulOutput) ? add.inputs().get(1) : add.inputs().get(0);
        return other.endsWith(".bias") && model.initializers().containsKey(other) ? other : null;
    }

    private static int onnxHeads(String source, OnnxModel model, Map<String, List<OnnxNode>> consumers, String queryOutput,
                                 int hidden) throws TensorFileException {
        if (queryOutput == null) {
            throw new TensorFileException(source, "lacks the tensor encoder.layer.0.attention.self.query.weight: no MatMul "
                    + "output feeds an Add with encoder.layer.0.attention.self.query.bias");
        }
        for (OnnxNode reshape : consumers.getOrDefault(queryOutput, List.of())) {
            if (!reshape.opType().equals("Reshape") || reshape.inputs().size() < 2) {
                continue;
            }
            long[] dims = constantShape(model, reshape.inputs().get(1));
            if (dims != null && dims.length >= 2) {
                long heads = dims[dims.length - 2];
                long headDim = dims[dims.length - 1];
                if (heads > 0 && headDim > 0 && heads * headDim == hidden) {
                    return (int) heads;
                }
            }
        }
        throw new TensorFileException(source, "cannot read the number of attention heads off the ONNX graph: no Reshape "
                + "of layer 0's query output (encoder.layer.0.attention.self.query) to [..., heads, head size] with "
                + "constant heads and head size multiplying to the hidden size " + hidden);
    }

    /** The constant trailing dimensions of a Reshape's shape input: a Constant, or a Concat whose last inputs are. */
    private static long[] constantShape(OnnxModel model, String value) {
        Tensor direct = constant(model, value);
        if (direct != null) {
            return (long[]) direct.cast(DType.I64).storage().array();
        }
        for (OnnxNode node : model.nodes()) {
            if (node.opType().equals("Concat") && node.outputs().contains(value)) {
                List<Long> trailing = new ArrayList<>();
                for (int i = node.inputs().size() - 1; i >= 0; i--) {
                    Tensor part = constant(model, node.inputs().get(i));
                    if (part == null) {
                        break;
                    }
                    long[] values = (long[]) part.cast(DType.I64).storage().array();
                    for (int j = values.length - 1; j >= 0; j--) {
                        trailing.add(0, values[j]);
                    }
                }
                return trailing.stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }

    private static Tensor constant(OnnxModel model, String value) {
        Tensor t = model.constants().get(value);
        return t != null ? t : model.initializers().get(value);
    }

    private static double onnxLayerNormEps(String source, OnnxModel model, Map<String, List<OnnxNode>> consumers,
                                           Map<String, OnnxNode> producers) throws TensorFileException {
        for (OnnxNode node : consumers.getOrDefault("embeddings.LayerNorm.weight", List.of())) {
            if (node.opType().equals("LayerNormalization")) {
                Object eps = node.attributes().get("epsilon");
                return eps instanceof Double e ? shortest(e) : 1e-5;
            }
            // Decomposed: Mul(Div(x - mean, Sqrt(Add(variance, eps))), weight)
            if (node.opType().equals("Mul")) {
                OnnxNode div = producerOfOther(node, "embeddings.LayerNorm.weight", producers);
                OnnxNode sqrt = div != null && div.opType().equals("Div") ? producers.get(div.inputs().get(1)) : null;
                OnnxNode add = sqrt != null && sqrt.opType().equals("Sqrt") ? producers.get(sqrt.inputs().get(0)) : null;
                if (add != null && add.opType().equals("Add")) {
                    for (String in : add.inputs()) {
                        Tensor eps = constant(model, in);
                        if (eps != null && eps.size() == 1) {
                            return shortest(eps.storage().getDouble(0));
                        }
                    }
                }
            }
        }
        throw new TensorFileException(source, "cannot read the LayerNorm epsilon off the ONNX graph: embeddings.LayerNorm.weight "
                + "feeds neither a LayerNormalization node nor the decomposition Mul(Div(x - mean, Sqrt(variance + eps)), weight)");
    }

    private static OnnxNode producerOfOther(OnnxNode node, String input, Map<String, OnnxNode> producers) {
        for (String in : node.inputs()) {
            if (!in.equals(input)) {
                return producers.get(in);
            }
        }
        return null;
    }

    /** A float constant as the decimal it was written as (1e-12f widens to 9.99999996e-13; this returns 1e-12). */
    private static double shortest(double floatValue) {
        return Double.parseDouble(Float.toString((float) floatValue));
    }

    // ---------------------------------------------------------------- safetensors

    /**
     * Reads a Hugging Face safetensors checkpoint (model.safetensors) and the config.json next
     * to it, which must exist: the number of heads cannot be read off tensor shapes. Accepts the
     * {@code bert.} prefix of task models, the old {@code gamma}/{@code beta} LayerNorm names,
     * and half precision (widened to F32); tensors outside the encoder (task heads such as
     * {@code cls.*}, the position_ids buffer) are ignored.
     */
    public static BertCheckpoint readSafetensors(Path file) throws IOException {
        Path configFile = file.toAbsolutePath().resolveSibling("config.json");
        if (!Files.exists(configFile)) {
            throw new TensorFileException(file, "needs the model's config.json next to it (looked for " + configFile
                    + "): the number of attention heads and the LayerNorm epsilon are not in the weights");
        }
        Map<String, Object> config;
        try {
            config = Json.parseObject(Files.readString(configFile, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new TensorFileException(configFile, "not valid JSON: " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
            throw new TensorFileException(configFile, "not UTF-8 text, so not a model config.json", e);
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Safetensors.read(file).tensors().entrySet()) {
            String name = canonicalHuggingFaceName(e.getKey());
            if (isBertBodyName(name)) {
                named.put(name, e.getValue());
            }
        }
        String source = file.toString();
        BertCheckpoint checkpoint = build(source, named, (int) configInt(configFile, config, "num_attention_heads"),
                configDouble(configFile, config, "layer_norm_eps"));
        checkConfigAgrees(configFile, config, checkpoint.config());
        return checkpoint;
    }

    private static String canonicalHuggingFaceName(String name) {
        String n = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
        if (n.contains("LayerNorm.gamma")) {
            n = n.replace("LayerNorm.gamma", "LayerNorm.weight");
        } else if (n.contains("LayerNorm.beta")) {
            n = n.replace("LayerNorm.beta", "LayerNorm.bias");
        }
        return n;
    }

    private static long configInt(Path file, Map<String, Object> config, String key) throws TensorFileException {
        if (!(config.get(key) instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
            throw new TensorFileException(file, "field " + key + " must be a positive integer but is "
                    + (config.containsKey(key) ? config.get(key) : "missing"));
        }
        return n;
    }

    private static double configDouble(Path file, Map<String, Object> config, String key) throws TensorFileException {
        Object value = config.getOrDefault(key, 1e-12);
        if (!(value instanceof Number n) || !(n.doubleValue() > 0)) {
            throw new TensorFileException(file, "field " + key + " must be a positive number but is " + value);
        }
        return n.doubleValue();
    }

    /** config.json must describe the model the weights are: same sizes, and the activation and positions BERT's layers implement. */
    private static void checkConfigAgrees(Path file, Map<String, Object> json, BertConfig c) throws TensorFileException {
        Object[][] fields = {{"hidden_size", c.hidden()}, {"num_hidden_layers", c.layers()},
            {"intermediate_size", c.intermediate()}, {"vocab_size", c.vocabSize()},
            {"max_position_embeddings", c.maxPositions()}, {"type_vocab_size", c.typeVocabSize()}};
        for (Object[] f : fields) {
            Object value = json.get((String) f[0]);
            if (value != null && !(value instanceof Long n && n == (int) f[1])) {
                throw new TensorFileException(file, "field " + f[0] + " is " + value + " but the weights have " + f[1]);
            }
        }
        Object act = json.getOrDefault("hidden_act", "gelu");
        if (!"gelu".equals(act)) {
            throw new TensorFileException(file, "field hidden_act is " + act + "; only \"gelu\" (exact, erf-based) is supported");
        }
        Object positions = json.getOrDefault("position_embedding_type", "absolute");
        if (!"absolute".equals(positions)) {
            throw new TensorFileException(file, "field position_embedding_type is " + positions
                    + "; only \"absolute\" is supported");
        }
    }

    // ---------------------------------------------------------------- shared

    private static boolean isBertBodyName(String name) {
        return (name.startsWith("embeddings.") || name.startsWith("encoder.layer.") || name.startsWith("pooler."))
                && !name.equals("embeddings.position_ids");
    }

    private static Shape requireRank2(String source, Map<String, Tensor> named, String name) throws TensorFileException {
        Tensor t = named.get(name);
        if (t == null) {
            throw new TensorFileException(source, "lacks the tensor " + name + " (found " + named.size()
                    + " BERT tensors" + (named.isEmpty() ? "; is this a BERT encoder?" : "") + ")");
        }
        if (t.rank() != 2) {
            throw new TensorFileException(source, "tensor " + name + " must be a matrix but has shape " + t.shape());
        }
        return t.shape();
    }

    /** Derives the sizes from the shapes, then checks that exactly the canonical tensors are there with their shapes. */
    private static BertCheckpoint build(String source, Map<String, Tensor> named, int heads, double eps)
            throws TensorFileException {
        Shape word = requireRank2(source, named, "embeddings.word_embeddings.weight");
        Shape positions = requireRank2(source, named, "embeddings.position_embeddings.weight");
        Shape types = requireRank2(source, named, "embeddings.token_type_embeddings.weight");
        Shape ffn = requireRank2(source, named, "encoder.layer.0.intermediate.dense.weight");
        TreeSet<Integer> layerIds = new TreeSet<>();
        for (String name : named.keySet()) {
            if (name.startsWith("encoder.layer.")) {
                String id = name.substring("encoder.layer.".length(), name.indexOf('.', "encoder.layer.".length()));
                try {
                    layerIds.add(Integer.parseInt(id));
                } catch (NumberFormatException e) {
                    throw new TensorFileException(source, "tensor " + name + " has layer index \"" + id + "\", not a number");
                }
            }
        }
        BertConfig config;
        try {
            config = new BertConfig(layerIds.last() + 1, word.dim(1), heads, ffn.dim(0), word.dim(0), positions.dim(0),
                    types.dim(0), eps);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(source, e.getMessage());
        }
        List<String> expected = new ArrayList<>(names(config));
        boolean pooler = named.containsKey("pooler.dense.weight") || named.containsKey("pooler.dense.bias");
        if (pooler) {
            expected.add("pooler.dense.weight");
            expected.add("pooler.dense.bias");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : expected) {
            Tensor t = named.get(name);
            if (t == null) {
                throw new TensorFileException(source, "lacks the tensor " + name + " of a " + config.layers()
                        + "-layer BERT encoder");
            }
            Shape shape = name.startsWith("pooler.") ? (name.endsWith("weight") ? Shape.of(config.hidden(), config.hidden())
                    : Shape.of(config.hidden())) : expectedShape(config, name);
            if (!t.shape().equals(shape)) {
                throw new TensorFileException(source, "tensor " + name + " has shape " + t.shape() + " but " + config
                        + " needs " + shape);
            }
            if (!t.dtype().isFloating()) {
                throw new TensorFileException(source, "tensor " + name + " holds " + t.dtype() + ", not floating point");
            }
            weights.put(name, t);
        }
        for (String name : named.keySet()) {
            if (!weights.containsKey(name)) {
                throw new TensorFileException(source, "has the unexpected tensor " + name + " " + named.get(name).shape()
                        + ", which a " + config.layers() + "-layer BERT encoder does not have");
            }
        }
        return new BertCheckpoint(config, weights);
    }
}
