package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class OnnxProperties {
    /** A graph as the fixture encodes it: initializers in order plus nodes. */
    record Graph(Map<String, Tensor> initializers, List<OnnxNode> nodes) {
        byte[] encode() {
            ProtoFixture graph = new ProtoFixture().string(2, "g");
            nodes.forEach(n -> graph.message(1, OnnxFixtures.node(n.name(), n.opType(),
                    n.inputs().toArray(String[]::new), n.outputs().toArray(String[]::new))));
            initializers.forEach((name, t) -> graph.message(5, OnnxFixtures.tensor(name, t)));
            return OnnxFixtures.model(graph);
        }
    }

    @Provide
    Arbitrary<Graph> graphs() {
        Arbitrary<Map<String, Tensor>> initializers = RandomTensors.names().list().ofMaxSize(5).uniqueElements()
                .flatMap(names -> RandomTensors.tensors().list().ofSize(names.size()).map(tensors -> {
                    Map<String, Tensor> map = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        map.put(names.get(i), tensors.get(i));
                    }
                    return map;
                }));
        Arbitrary<OnnxNode> node = Combinators.combine(RandomTensors.names(),
                        Arbitraries.of("MatMul", "Add", "Gather", "LayerNormalization"),
                        RandomTensors.names().list().ofMaxSize(3), RandomTensors.names().list().ofMaxSize(2))
                .as((name, op, in, out) -> new OnnxNode(name, op, in, out, Map.of()));
        return Combinators.combine(initializers, node.list().ofMaxSize(4)).as(Graph::new);
    }

    @Property(tries = 80)
    void encodedGraphsReadBackWithTheirTensorsInOrderAndTheirNodes(@ForAll("graphs") Graph graph) throws Exception {
        OnnxModel model = Onnx.parse("fixture.onnx", ByteBuffer.wrap(graph.encode()));
        assertEquals(graph.initializers(), model.initializers());
        assertEquals(new ArrayList<>(graph.initializers().keySet()), new ArrayList<>(model.initializers().keySet()));
        assertEquals(graph.nodes(), model.nodes());
        assertEquals(8, model.irVersion());
        assertEquals("fixture", model.producerName());
    }

    @Property(tries = 80)
    void everyTruncationIsRejectedNamingTheSource(@ForAll("graphs") Graph graph,
                                                  @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double fraction) {
        byte[] whole = graph.encode();
        byte[] cut = Arrays.copyOf(whole, (int) (fraction * whole.length));
        TensorFileException e = assertThrows(TensorFileException.class,
                () -> Onnx.parse("cut.onnx", ByteBuffer.wrap(cut)));
        assertTrue(e.getMessage().startsWith("cut.onnx: "), e.getMessage());
        assertEquals("cut.onnx", e.source());
    }

    @Property(tries = 200)
    void corruptBytesAreReadOrRejectedNamingTheSourceButNeverCrashTheReader(
            @ForAll("graphs") Graph graph, @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
            @ForAll byte value) {
        byte[] bytes = graph.encode();
        bytes[(int) (where * bytes.length)] = value;
        try {
            Onnx.parse("corrupt.onnx", ByteBuffer.wrap(bytes));
        } catch (TensorFileException e) {
            assertTrue(e.getMessage().startsWith("corrupt.onnx: "), e.getMessage());
        }
    }
}
