package dev.hyperkron.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTest {
    @TempDir
    Path dir;

    private static TensorFileException rejects(byte[] bytes, String... phrases) {
        TensorFileException e = assertThrows(TensorFileException.class, () -> Onnx.parse("bad.onnx", ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().startsWith("bad.onnx: "), "message must name the source: " + e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
        return e;
    }

    private static byte[] modelWithInitializer(ProtoFixture tensor) {
        return OnnxFixtures.model(new ProtoFixture().message(5, tensor));
    }

    @Test
    void readsAFileWithNodesAttributesConstantsAndInitializers() throws IOException {
        ProtoFixture attributes = new ProtoFixture()
                .message(5, new ProtoFixture().string(1, "epsilon").fixed32(2, Float.floatToIntBits(1e-12f)).varint(20, 1))
                .message(5, new ProtoFixture().string(1, "axis").varint(3, -1).varint(20, 2))
                .message(5, new ProtoFixture().string(1, "mode").string(4, "constant").varint(20, 3))
                .message(5, new ProtoFixture().string(1, "perm").packed(8, 0, 2, 1, 3).varint(20, 7));
        ProtoFixture layerNorm = OnnxFixtures.node("ln", "LayerNormalization", new String[] {"x", "gamma"},
                new String[] {"y"});
        ProtoFixture constant = OnnxFixtures.node("c", "Constant", new String[0], new String[] {"twelve"})
                .message(5, new ProtoFixture().string(1, "value")
                        .message(5, OnnxFixtures.tensor("", Tensor.of(new long[] {12}))).varint(20, 4));
        Tensor gamma = Tensor.of(new float[] {1f, -2f, 3.5f}, 3);
        ProtoFixture graph = new ProtoFixture().string(2, "main")
                .message(1, layerNorm.append(attributes))
                .message(1, constant)
                .message(5, OnnxFixtures.tensor("gamma", gamma));
        Path file = Files.write(dir.resolve("m.onnx"), OnnxFixtures.model(graph));

        OnnxModel model = Onnx.read(file);
        assertEquals(Map.of("gamma", gamma), model.initializers());
        assertEquals(gamma, model.initializer("gamma"));
        assertEquals(Map.of("twelve", Tensor.of(new long[] {12})), model.constants());
        OnnxNode ln = model.nodes().get(0);
        assertEquals(List.of("x", "gamma"), ln.inputs());
        assertEquals(List.of("y"), ln.outputs());
        assertEquals((double) 1e-12f, ln.attributes().get("epsilon"));
        assertEquals(-1L, ln.attributes().get("axis"));
        assertEquals("constant", ln.attributes().get("mode"));
        assertEquals(List.of(0L, 2L, 1L, 3L), ln.attributes().get("perm"));
        assertEquals(model, Onnx.read(new ByteArrayInputStream(Files.readAllBytes(file)), file.toString()));
    }

    @Test
    void readsTypedDataFieldsAndWidensHalfPrecisionAndSmallIntegers() throws IOException {
        ByteBuffer floats = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] model = OnnxFixtures.model(new ProtoFixture()
                .message(5, new ProtoFixture().packed(1, 2).varint(2, 1).string(8, "f").bytes(4, floats.array()))
                .message(5, new ProtoFixture().varint(1, 2).varint(2, 10).string(8, "half").packed(5, 0x3C00, 0xC000))
                .message(5, new ProtoFixture().varint(1, 1).varint(1, 2).varint(2, 7).string(8, "long").packed(7, -5, 7))
                .message(5, new ProtoFixture().packed(1, 2).varint(2, 3).string(8, "i8").bytes(9, new byte[] {-1, 127}))
                .message(5, new ProtoFixture().packed(1, 1).varint(2, 16).string(8, "bf16").bytes(9, new byte[] {(byte) 0x80, 0x3F}))
                .message(5, new ProtoFixture().varint(2, 1).string(8, "scalar").bytes(9, new byte[] {0, 0, (byte) 0x80, 0x3F}))
                .message(5, new ProtoFixture().packed(1, 2).varint(2, 1).string(8, "unpacked")
                        .fixed32(4, Float.floatToIntBits(0.5f)).fixed32(4, Float.floatToIntBits(-0.25f)))
                .message(5, new ProtoFixture().packed(1, 1).varint(2, 11).string(8, "double")
                        .fixed64(10, Double.doubleToLongBits(Math.PI))));
        OnnxModel read = Onnx.parse("typed.onnx", ByteBuffer.wrap(model));
        assertEquals(Tensor.of(new float[] {1.5f, -2f}), read.initializer("f"));
        assertEquals(Tensor.of(new float[] {1f, -2f}), read.initializer("half"));
        assertEquals(Tensor.of(new long[] {-5, 7}, 1, 2), read.initializer("long"));
        assertEquals(Tensor.of(new int[] {-1, 127}), read.initializer("i8"));
        assertEquals(Tensor.of(new float[] {1f}), read.initializer("bf16"));
        assertEquals(Tensor.scalar(dev.hyperkron.core.DType.F32, 1), read.initializer("scalar"));
        assertEquals(Tensor.of(new float[] {0.5f, -0.25f}), read.initializer("unpacked"));
        assertEquals(Tensor.of(new double[] {Math.PI}), read.initializer("double"));
    }

    @Test
    void rejectsFilesThatAreNotOnnx() {
        rejects(new byte[0], "empty file, not an ONNX model");
        rejects("PK\u0003\u0004rest".getBytes(StandardCharsets.ISO_8859_1), "zip archive", "not an ONNX model");
        rejects("{\"not\": \"onnx\"}".getBytes(StandardCharsets.UTF_8), "it is JSON text", "not an ONNX model");
        rejects("label,text\n".getBytes(StandardCharsets.UTF_8), "not an ONNX model (no protobuf ModelProto)");
        rejects(new ProtoFixture().varint(1, 8).string(2, "x").toBytes(), "not an ONNX model", "ModelProto.graph (field 7) is missing");
        rejects(new ProtoFixture().message(7, new ProtoFixture()).toBytes(), "ir_version (field 1) is missing");
    }

    @Test
    void rejectsMalformedWireDataNamingTheField() {
        byte[] overlong = new ProtoFixture().tag(1, 0).toBytes();
        byte[] tooLong = new byte[overlong.length + 11];
        System.arraycopy(overlong, 0, tooLong, 0, overlong.length);
        java.util.Arrays.fill(tooLong, overlong.length, tooLong.length, (byte) 0x80);
        rejects(tooLong, "not an ONNX model", "ModelProto.ir_version");
        byte[] group = OnnxFixtures.model(new ProtoFixture().tag(9, 3));
        rejects(group, "group wire type");
        byte[] truncatedRaw = modelWithInitializer(new ProtoFixture().packed(1, 4).varint(2, 1).string(8, "w")
                .bytes(9, new byte[12]));
        rejects(truncatedRaw, "ModelProto.graph.initializer[0] (\"w\")", "raw_data has 12 bytes", "needs 4 x 4 = 16");
        byte[] wrongWire = modelWithInitializer(new ProtoFixture().tag(2, 2).rawVarint(0));
        rejects(wrongWire, "ModelProto.graph.initializer[0].data_type (field 2) has wire type 2 but must have 0");
    }

    @Test
    void rejectsExternalDataUnsupportedTypesAndMissingData() {
        rejects(modelWithInitializer(new ProtoFixture().packed(1, 2).varint(2, 1).string(8, "big")
                        .message(13, new ProtoFixture().string(1, "location").string(2, "weights.bin")).varint(14, 1)),
                "(\"big\")", "external file, which is not supported");
        rejects(modelWithInitializer(new ProtoFixture().packed(1, 1).varint(2, 8).string(8, "words")),
                "(\"words\")", "element type STRING, which is not supported");
        rejects(modelWithInitializer(new ProtoFixture().packed(1, 3).varint(2, 1).string(8, "empty")),
                "(\"empty\")", "has shape [3] but no data");
        rejects(modelWithInitializer(new ProtoFixture().packed(1, -1).varint(2, 1).string(8, "neg")),
                "(\"neg\")", "dimension 0 = -1");
    }

    @Test
    void aMissingInitializerIsAnErrorNamingModelAndTensor() throws IOException {
        OnnxModel model = Onnx.parse("m.onnx", ByteBuffer.wrap(OnnxFixtures.model(new ProtoFixture())));
        TensorFileException e = assertThrows(TensorFileException.class, () -> model.initializer("encoder.layer.0.x"));
        assertEquals("m.onnx: the ONNX graph has no initializer named \"encoder.layer.0.x\" (it has 0 initializers)",
                e.getMessage());
    }
}
