package dev.hyperkron.core.io;

import dev.hyperkron.core.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Hyperkron reads from an ONNX model: the weights (the graph's initializers, by name, in
 * file order), the values of its {@code Constant} nodes (by output name) and the nodes in graph
 * order, which is enough to give anonymous weights their names and to read hyperparameters such
 * as a LayerNorm epsilon off the graph. The graph is not executed: Hyperkron builds its own
 * model and loads these weights into it.
 */
public record OnnxModel(String source, long irVersion, String producerName, Map<String, Tensor> initializers,
                        Map<String, Tensor> constants, List<OnnxNode> nodes) {

    public OnnxModel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(producerName, "producerName");
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        nodes = List.copyOf(nodes);
    }

    /** The initializer called {@code name}; a missing one is an error naming the model and the name. */
    public Tensor initializer(String name) throws TensorFileException {
        Tensor t = initializers.get(name);
        if (t == null) {
            throw new TensorFileException(source, "the ONNX graph has no initializer named \"" + name + "\" (it has "
                    + initializers.size() + " initializers)");
        }
        return t;
    }
}
