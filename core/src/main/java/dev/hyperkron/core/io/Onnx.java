package dev.hyperkron.core.io;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights and the graph structure of an ONNX model without any ONNX or protobuf
 * library: pretrained models are published as ONNX files (often inside jars), and reading the
 * few message types needed here (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto) straight off the protobuf wire format keeps the library free of runtime
 * dependencies and native code.
 *
 * <p>Tensors keep their data in {@code raw_data} (little-endian) or in the typed repeated
 * fields; both are read, and element types are widened as {@link StoredType} describes
 * (FLOAT16 and BFLOAT16 to F32, INT8/INT16/UINT16 to I32, UINT32 to I64, BOOL to U8). Tensors
 * stored outside the file (external data) are not supported. Every problem is a {@link
 * TensorFileException} naming the source, the field path and the byte offset.
 */
public final class Onnx {
    private static final int MAX_RANK = 64;

    private Onnx() {
    }

    /** Reads an ONNX model file. */
    public static OnnxModel read(Path file) throws IOException {
        return parse(file.toString(), ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    /** Reads an ONNX model from a stream (such as a class path resource) named {@code source} in errors. */
    public static OnnxModel read(InputStream in, String source) throws IOException {
        return parse(source, ByteBuffer.wrap(in.readAllBytes()));
    }

    /** Parses the bytes of a serialized ModelProto. */
    static OnnxModel parse(String source, ByteBuffer bytes) throws TensorFileException {
        if (!bytes.hasRemaining()) {
            throw new TensorFileException(source, "empty file, not an ONNX model");
        }
        if (bytes.remaining() >= 4 && bytes.get(0) == 'P' && bytes.get(1) == 'K' && bytes.get(2) == 3 && bytes.get(3) == 4) {
            throw new TensorFileException(source, "is a zip archive (a jar?), not an ONNX model: read the .onnx file inside it");
        }
        if (bytes.get(0) == '{') {
            throw new TensorFileException(source, "starts with '{', so it is JSON text (a tokenizer.json or config.json?), "
                    + "not an ONNX model");
        }
        ProtoReader model = ProtoReader.of(source, bytes, "ModelProto");
        long irVersion = 0;
        String producer = "";
        Graph graph = null;
        try {
            while (model.next()) {
                switch (model.field()) {
                    case 1 -> {
                        model.expect(ProtoReader.VARINT, "ir_version");
                        irVersion = model.varint("ir_version");
                    }
                    case 2 -> producer = model.string("producer_name");
                    case 7 -> graph = readGraph(model.message("graph"));
                    default -> model.skip();
                }
            }
        } catch (TensorFileException e) {
            if (graph == null && irVersion == 0) {
                throw new TensorFileException(source, "not an ONNX model (no protobuf ModelProto): "
                        + e.getMessage().substring(source.length() + 2));
            }
            throw e;
        }
        if (irVersion <= 0) {
            throw new TensorFileException(source, "not an ONNX model: ModelProto.ir_version (field 1) is missing");
        }
        if (graph == null) {
            throw new TensorFileException(source, "not an ONNX model: ModelProto.graph (field 7) is missing");
        }
        return new OnnxModel(source, irVersion, producer, graph.initializers, graph.constants, graph.nodes);
    }

    private record Graph(Map<String, Tensor> initializers, Map<String, Tensor> constants, List<OnnxNode> nodes) {
    }

    private static Graph readGraph(ProtoReader graph) throws TensorFileException {
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        List<OnnxNode> nodes = new ArrayList<>();
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> {
                    OnnxNode node = readNode(graph.message("node[" + nodes.size() + "]"));
                    nodes.add(node);
                    if (node.opType().equals("Constant") && node.outputs().size() == 1
                            && node.attributes().get("value") instanceof Tensor value) {
                        constants.put(node.outputs().get(0), value);
                    }
                }
                case 5 -> {
                    NamedTensor t = readTensor(graph.message("initializer[" + initializers.size() + "]"));
                    if (initializers.put(t.name, t.tensor) != null) {
                        throw graph.error(graph.path("initializer") + ": two initializers are named \"" + t.name + "\"");
                    }
                }
                case 15 -> throw graph.error(graph.path("sparse_initializer")
                        + ": sparse initializers are not supported");
                default -> graph.skip();
            }
        }
        return new Graph(initializers, constants, nodes);
    }

    private static OnnxNode readNode(ProtoReader node) throws TensorFileException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        String name = "";
        String opType = "";
        while (node.next()) {
            switch (node.field()) {
                case 1 -> inputs.add(node.string("input"));
                case 2 -> outputs.add(node.string("output"));
                case 3 -> name = node.string("name");
                case 4 -> opType = node.string("op_type");
                case 5 -> readAttribute(node.message("attribute[" + attributes.size() + "]"), attributes);
                default -> node.skip();
            }
        }
        return new OnnxNode(name, opType, inputs, outputs, attributes);
    }

    private static void readAttribute(ProtoReader attribute, Map<String, Object> into) throws TensorFileException {
        String name = null;
        Object value = null;
        long[][] ints = {new long[0]};
        int intCount = 0;
        while (attribute.next()) {
            switch (attribute.field()) {
                case 1 -> name = attribute.string("name");
                case 2 -> value = (double) attribute.fixedFloat("f");
                case 3 -> {
                    attribute.expect(ProtoReader.VARINT, "i");
                    value = attribute.varint("i");
                }
                case 4 -> value = attribute.string("s");
                case 5 -> value = readTensor(attribute.message("t")).tensor;
                case 8 -> intCount = attribute.repeatedVarints("ints", ints, intCount);
                default -> attribute.skip();
            }
        }
        if (name == null) {
            throw attribute.error(attribute.path("name") + " is missing");
        }
        if (value == null && intCount > 0) {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < intCount; i++) {
                list.add(ints[0][i]);
            }
            value = List.copyOf(list);
        }
        if (value != null) {
            into.put(name, value);
        }
    }

    private record NamedTensor(String name, Tensor tensor) {
    }

    /** ONNX TensorProto.DataType codes of the element types read here. */
    private static StoredType storedType(int dataType) {
        return switch (dataType) {
            case 1 -> StoredType.F32;
            case 2 -> StoredType.U8;
            case 3 -> StoredType.I8;
            case 4 -> StoredType.U16;
            case 5 -> StoredType.I16;
            case 6 -> StoredType.I32;
            case 7 -> StoredType.I64;
            case 9 -> StoredType.BOOL;
            case 10 -> StoredType.F16;
            case 11 -> StoredType.F64;
            case 12 -> StoredType.U32;
            case 16 -> StoredType.BF16;
            default -> null;
        };
    }

    private static String dataTypeName(int dataType) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return dataType >= 0 && dataType < names.length ? names[dataType] : "data type " + dataType;
    }

    private static NamedTensor readTensor(ProtoReader tensor) throws TensorFileException {
        long[][] dims = {new long[0]};
        int rank = 0;
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        long[][] ints = {new long[0]};
        int intCount = 0;
        List<ByteBuffer> fixed = new ArrayList<>();
        boolean external = false;
        while (tensor.next()) {
            switch (tensor.field()) {
                case 1 -> rank = tensor.repeatedVarints("dims", dims, rank);
                case 2 -> dataType = tensor.nonNegativeInt("data_type");
                case 3 -> throw tensor.error(tensor.path("segment") + ": segmented tensors are not supported");
                case 4, 10 -> fixed.add(packedFixed(tensor, tensor.field() == 4 ? "float_data" : "double_data"));
                case 5, 7, 11 -> intCount = tensor.repeatedVarints(
                        tensor.field() == 5 ? "int32_data" : tensor.field() == 7 ? "int64_data" : "uint64_data", ints, intCount);
                case 8 -> name = tensor.string("name");
                case 9 -> raw = tensor.lengthDelimited("raw_data");
                case 13 -> {
                    external = true;
                    tensor.skip();
                }
                case 14 -> external |= tensor.nonNegativeInt("data_location") == 1;
                default -> tensor.skip();
            }
        }
        String what = tensor.path() + " (\"" + name + "\")";
        if (external) {
            throw tensor.error(what + " keeps its data in an external file, which is not supported: "
                    + "save the model with its weights inside the .onnx file");
        }
        StoredType type = storedType(dataType);
        if (type == null) {
            throw tensor.error(what + " has element type " + dataTypeName(dataType) + ", which is not supported "
                    + "(supported: FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, BOOL)");
        }
        Shape shape = shape(tensor, what, dims[0], rank);
        int n = shape.size();
        // Every size check comes before the allocation: a corrupt shape must not allocate gigabytes.
        Storage storage;
        if (raw != null) {
            if (raw.remaining() != (long) n * type.byteSize) {
                throw tensor.error(what + ": raw_data has " + raw.remaining() + " bytes but shape " + shape + " of "
                        + dataTypeName(dataType) + " needs " + n + " x " + type.byteSize + " = " + (long) n * type.byteSize);
            }
            storage = Storage.allocate(type.target, n);
            type.decode(raw, storage, 0, n);
        } else if (!fixed.isEmpty()) {
            storage = fromFixed(tensor, what, type, fixed, n);
        } else if (intCount > 0 || n == 0) {
            if (intCount != n) {
                throw tensor.error(what + " holds " + intCount + " values but shape " + shape + " needs " + n);
            }
            storage = Storage.allocate(type.target, n);
            for (int i = 0; i < n; i++) {
                long v = ints[0][i];
                switch (type) {
                    case F16 -> storage.setDouble(i, StoredType.halfToFloat((short) v));
                    case BF16 -> storage.setDouble(i, Float.intBitsToFloat((int) v << 16));
                    case U8, BOOL -> storage.setLong(i, (byte) v);
                    default -> storage.setLong(i, v);
                }
            }
        } else {
            throw tensor.error(what + " has shape " + shape + " but no data (neither raw_data nor a typed data field)");
        }
        return new NamedTensor(name, Tensor.wrap(storage, shape));
    }

    /** A packed float_data/double_data run, or a single unpacked element (protobuf parsers must accept both). */
    private static ByteBuffer packedFixed(ProtoReader tensor, String name) throws TensorFileException {
        if (tensor.wireType() == ProtoReader.LENGTH_DELIMITED) {
            return tensor.lengthDelimited(name);
        }
        ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (name.equals("float_data")) {
            one.putFloat(tensor.fixedFloat(name));
        } else {
            one.putLong(tensor.fixed64(name));
        }
        return one.flip();
    }

    private static Storage fromFixed(ProtoReader tensor, String what, StoredType type, List<ByteBuffer> runs, int n)
            throws TensorFileException {
        int elementSize = type == StoredType.F64 ? 8 : 4;
        if (type != StoredType.F32 && type != StoredType.F64) {
            throw tensor.error(what + " is " + type + " but stores its data in float_data/double_data");
        }
        long bytes = 0;
        for (ByteBuffer run : runs) {
            bytes += run.remaining();
        }
        if (bytes != (long) n * elementSize) {
            throw tensor.error(what + " holds " + bytes / elementSize + " values but its shape needs " + n);
        }
        Storage storage = Storage.allocate(type.target, n);
        int at = 0;
        for (ByteBuffer run : runs) {
            int count = run.remaining() / elementSize;
            type.decode(run, storage, at, count);
            at += count;
        }
        return storage;
    }

    private static Shape shape(ProtoReader tensor, String what, long[] dims, int rank) throws TensorFileException {
        if (rank > MAX_RANK) {
            throw tensor.error(what + " has rank " + rank + ", more than " + MAX_RANK);
        }
        int[] shape = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw tensor.error(what + " has dimension " + i + " = " + dims[i] + ", outside [0, " + Integer.MAX_VALUE + "]");
            }
            shape[i] = (int) dims[i];
            elements *= shape[i];
            if (elements > Integer.MAX_VALUE) {
                throw tensor.error(what + " has more than " + Integer.MAX_VALUE + " elements, more than a Tensor holds");
            }
        }
        return Shape.of(shape);
    }
}
