package dev.hyperkron.core.io;

import dev.hyperkron.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX messages for tests, built with {@link ProtoFixture} from the field numbers of onnx.proto. */
final class OnnxFixtures {
    private OnnxFixtures() {
    }

    /** ONNX TensorProto.DataType of a Hyperkron dtype. */
    static int dataType(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> 1;
            case U8 -> 2;
            case I32 -> 6;
            case I64 -> 7;
            case F64 -> 11;
        };
    }

    /** TensorProto with dims (packed), data_type, name and little-endian raw_data. */
    static ProtoFixture tensor(String name, Tensor t) {
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.dim(i);
        }
        return new ProtoFixture().packed(1, dims).varint(2, dataType(t)).string(8, name).bytes(9, rawData(t));
    }

    static byte[] rawData(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case F32 -> b.putFloat(((float[]) t.storage().array())[i]);
                case F64 -> b.putDouble(((double[]) t.storage().array())[i]);
                case I32 -> b.putInt((int) t.storage().getLong(i));
                case I64 -> b.putLong(t.storage().getLong(i));
                case U8 -> b.put(((byte[]) t.storage().array())[i]);
            }
        }
        return b.array();
    }

    /** NodeProto. */
    static ProtoFixture node(String name, String opType, String[] inputs, String[] outputs) {
        ProtoFixture node = new ProtoFixture();
        for (String in : inputs) {
            node.string(1, in);
        }
        for (String out : outputs) {
            node.string(2, out);
        }
        return node.string(3, name).string(4, opType);
    }

    /** ModelProto with ir_version 8, a producer, an opset import and the graph. */
    static byte[] model(ProtoFixture graph) {
        return new ProtoFixture().varint(1, 8).string(2, "fixture")
                .message(8, new ProtoFixture().string(1, "").varint(2, 17))
                .message(7, graph).toBytes();
    }
}
