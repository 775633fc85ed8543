package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;

/** Elementwise tensor ops: shape and dtype checks here, the loops in the kernels. */
final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        TypedKernels<Object> k = kernels(op.name().toLowerCase(java.util.Locale.ROOT), x);
        Device device = x.device();
        Tensor out = Tensor.output(device, x.dtype(), x.shape());
        Object src = x.storage().buffer();
        Object dst = out.storage().buffer();
        Devices.forRange(device, x.size(), (from, to) -> k.unary(op, src, from, dst, from, to - from));
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = methodName(op);
        requireSameDType(name, a, b);
        if (op.isComparison() && !a.dtype().isFloating()) {
            // Integer comparisons (labels, indices): exact in F64 below 2^53, result in the operands' dtype.
            return binary(op, a.cast(DType.F64), b.cast(DType.F64)).cast(a.dtype());
        }
        requireFloating(name, a.dtype());
        Device device = Devices.common(name, a, b);
        Shape outShape = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.output(device, a.dtype(), outShape);
        device.binary(op, a.dtype(), Strided.broadcast(outShape, a.shape(), b.shape()),
                Devices.on(device, a).storage().buffer(), Devices.on(device, b).storage().buffer(), out.storage().buffer());
        return out;
    }

    /** The Tensor method that applies {@code op}, so errors name what the caller wrote. */
    private static String methodName(BinaryOp op) {
        return switch (op) {
            case MAX -> "maximum";
            case MIN -> "minimum";
            default -> op.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static Tensor binaryScalar(BinaryOp op, Tensor a, double c) {
        return binary(op, a, Tensor.scalar(a.dtype(), c));
    }

    static Tensor select(Tensor cond, Tensor a, Tensor b) {
        requireSameDType("where", a, b);
        requireFloating("where", a.dtype());
        Device device = Devices.common("where", cond, a, b);
        Tensor c = cond.cast(a.dtype());
        Shape outShape;
        try {
            outShape = Shape.broadcast("where", Shape.broadcast("where", c.shape(), a.shape()), b.shape());
        } catch (ShapeException e) {
            throw ShapeException.of("where", "condition, a and b cannot be broadcast together",
                    cond.shape(), a.shape(), b.shape());
        }
        Tensor out = Tensor.output(device, a.dtype(), outShape);
        device.select(a.dtype(), Strided.broadcast(outShape, c.shape(), a.shape(), b.shape()),
                Devices.on(device, c).storage().buffer(), Devices.on(device, a).storage().buffer(),
                Devices.on(device, b).storage().buffer(), out.storage().buffer());
        return out;
    }

    static void fill(Tensor t, double value) {
        t.device().fill(t.dtype(), t.storage().buffer(), 0, t.size(), value);
    }

    static Tensor cast(Tensor x, DType target) {
        Device device = x.device();
        Storage dst = Storage.allocateUninitialized(device, target, x.size());
        device.convert(x.dtype(), x.storage().buffer(), target, dst.buffer(), x.size());
        return Tensor.wrap(dst, x.shape());
    }

    /** The kernels of {@code x}'s device for its dtype, or an error naming {@code op} if it is not floating. */
    static TypedKernels<Object> kernels(String op, Tensor x) {
        requireFloating(op, x.dtype());
        return x.device().kernels(x.dtype());
    }

    static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating tensor (F32 or F64), got " + dtype
                    + "; cast it first");
        }
    }

    static void requireSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype()
                    + "); cast one operand first");
        }
    }
}
