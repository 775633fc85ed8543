package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;

/** Elementwise tensor ops: shape and dtype checks here, the loops in the kernels. */
final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        TypedKernels<Object> k = kernels(op.name().toLowerCase(java.util.Locale.ROOT), x.dtype());
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        Object src = x.storage().array();
        Object dst = out.storage().array();
        Parallel.forRange(x.size(), Broadcast.PARALLEL_THRESHOLD, Broadcast.ALIGN,
                (from, to) -> k.unary(op, src, from, dst, from, to - from));
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = methodName(op);
        requireSameDType(name, a, b);
        if (op.isComparison() && !a.dtype().isFloating()) {
            // Integer comparisons (labels, indices): exact in F64 below 2^53, result in the operands' dtype.
            return binary(op, a.cast(DType.F64), b.cast(DType.F64)).cast(a.dtype());
        }
        TypedKernels<Object> k = kernels(name, a.dtype());
        Shape outShape = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.zeros(a.dtype(), outShape);
        Broadcast plan = Broadcast.plan(outShape, a.shape(), b.shape());
        Object x = a.storage().array();
        Object y = b.storage().array();
        Object dst = out.storage().array();
        int incA = plan.inc(0);
        int incB = plan.inc(1);
        plan.forEach((offA, offB, unused, outOff, len) -> k.binary(op, x, offA, incA, y, offB, incB, dst, outOff, len));
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
        TypedKernels<Object> k = kernels("where", a.dtype());
        Tensor c = cond.cast(a.dtype());
        Shape outShape;
        try {
            outShape = Shape.broadcast("where", Shape.broadcast("where", c.shape(), a.shape()), b.shape());
        } catch (ShapeException e) {
            throw ShapeException.of("where", "condition, a and b cannot be broadcast together",
                    cond.shape(), a.shape(), b.shape());
        }
        Tensor out = Tensor.zeros(a.dtype(), outShape);
        Broadcast plan = Broadcast.plan(outShape, c.shape(), a.shape(), b.shape());
        Object cs = c.storage().array();
        Object as = a.storage().array();
        Object bs = b.storage().array();
        Object dst = out.storage().array();
        int incC = plan.inc(0);
        int incA = plan.inc(1);
        int incB = plan.inc(2);
        plan.forEach((offC, offA, offB, outOff, len) ->
                k.select(cs, offC, incC, as, offA, incA, bs, offB, incB, dst, outOff, len));
        return out;
    }

    static void fill(Tensor t, double value) {
        Storage st = t.storage();
        switch (t.dtype()) {
            case F32 -> java.util.Arrays.fill((float[]) st.array(), (float) value);
            case F64 -> java.util.Arrays.fill((double[]) st.array(), value);
            case I32 -> java.util.Arrays.fill((int[]) st.array(), (int) value);
            case I64 -> java.util.Arrays.fill((long[]) st.array(), (long) value);
            case U8 -> java.util.Arrays.fill((byte[]) st.array(), (byte) (int) value);
        }
    }

    static Tensor cast(Tensor x, DType target) {
        Storage src = x.storage();
        Storage dst = Storage.allocate(target, x.size());
        int n = x.size();
        if (src.dtype() == DType.F32 && target == DType.F64) {
            float[] s = (float[]) src.array();
            double[] d = (double[]) dst.array();
            for (int i = 0; i < n; i++) {
                d[i] = s[i];
            }
        } else if (src.dtype() == DType.F64 && target == DType.F32) {
            double[] s = (double[]) src.array();
            float[] d = (float[]) dst.array();
            for (int i = 0; i < n; i++) {
                d[i] = (float) s[i];
            }
        } else if (target.isFloating() || src.dtype().isFloating()) {
            for (int i = 0; i < n; i++) {
                dst.setDouble(i, src.getDouble(i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst.setLong(i, src.getLong(i));
            }
        }
        return Tensor.wrap(dst, x.shape());
    }

    static TypedKernels<Object> kernels(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating tensor (F32 or F64), got " + dtype
                    + "; cast it first");
        }
        return Kernels.active().of(dtype);
    }

    static void requireSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype()
                    + "); cast one operand first");
        }
    }
}
