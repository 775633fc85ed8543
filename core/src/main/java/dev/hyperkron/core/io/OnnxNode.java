package dev.hyperkron.core.io;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node of an ONNX graph: its operator, the names of the values it reads and writes, and
 * its attributes. Weight loaders need the graph, not just the initializers, because exporters
 * name some weights after nothing ({@code onnx::MatMul_787}); the node that consumes them
 * tells what they are. Attribute values are Double (float), Long (int), String, {@code
 * List<Long>} (ints) or {@link dev.hyperkron.core.Tensor} (tensor); other attribute kinds are
 * skipped on reading.
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
                       Map<String, Object> attributes) {

    public OnnxNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }
}
