package dev.hyperkron.core;

import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;

/** Reductions along axes and the softmax family built from them. */
final class Reductions {
    private Reductions() {
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        TypedKernels<Object> k = Elementwise.kernels(name, x.dtype());
        boolean[] reduced = flags(name, x.shape(), axes);
        if (op != ReduceOp.SUM) {
            for (int i = 0; i < reduced.length; i++) {
                if (reduced[i] && x.shape().dim(i) == 0) {
                    throw ShapeException.of(name, "cannot reduce over empty axis " + i, x.shape());
                }
            }
        }
        Tensor current = x;
        int[] dims = x.shape().dims();
        // Reduce runs of adjacent flagged axes, last run first, so earlier axis numbers stay valid.
        int end = dims.length;
        while (end > 0) {
            if (!reduced[end - 1]) {
                end--;
                continue;
            }
            int start = end - 1;
            while (start > 0 && reduced[start - 1]) {
                start--;
            }
            Shape s = current.shape();
            int outer = s.sizeOf(0, start);
            int len = s.sizeOf(start, end);
            int inner = s.sizeOf(end, s.rank());
            int[] next = new int[s.rank() - (end - start) + 1];
            for (int i = 0; i < start; i++) {
                next[i] = s.dim(i);
            }
            next[start] = 1;
            for (int i = end; i < s.rank(); i++) {
                next[i - (end - start) + 1] = s.dim(i);
            }
            Tensor out = Tensor.zeros(x.dtype(), Shape.of(next));
            k.reduce(op, current.storage().array(), 0, outer, len, inner, out.storage().array(), 0);
            current = out;
            end = start;
        }
        // current now has size-1 dims exactly where runs were; reshape to the requested layout.
        return current.reshape(x.shape().reduce(reduced, keepDims));
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        Tensor sum = reduce(ReduceOp.SUM, x, axes, keepDims);
        int count = count(x.shape(), flags("mean", x.shape(), axes));
        return sum.mul(1.0 / count);
    }

    static Tensor variance(Tensor x, int[] axes, boolean keepDims) {
        Tensor centered = x.sub(mean(x, axes, true));
        return mean(centered.square(), axes, keepDims);
    }

    static Tensor logsumexp(Tensor x, int[] axes, boolean keepDims) {
        Tensor max = reduce(ReduceOp.MAX, x, axes, true);
        // Shift by the max where it is finite; all -inf (or +inf) slices keep their limit.
        Tensor shift = Tensor.where(max.abs().lt(Double.POSITIVE_INFINITY), max, Tensor.scalar(x.dtype(), 0));
        Tensor lse = reduce(ReduceOp.SUM, x.sub(shift).exp(), axes, true).log().add(shift);
        return keepDims ? lse : lse.reshape(x.shape().reduce(flags("logsumexp", x.shape(), axes), false));
    }

    static Tensor softmax(Tensor x, int axis) {
        Tensor e = x.sub(reduce(ReduceOp.MAX, x, new int[] {axis}, true)).exp();
        return e.div(reduce(ReduceOp.SUM, e, new int[] {axis}, true));
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        return x.sub(logsumexp(x, new int[] {axis}, true));
    }

    static Tensor sumTo(Tensor x, Shape target) {
        if (x.shape().equals(target)) {
            return x;
        }
        if (!target.broadcastsTo(x.shape())) {
            throw ShapeException.of("sumTo", "target does not broadcast to the source", x.shape(), target);
        }
        int lead = x.rank() - target.rank();
        int[] axes = new int[x.rank()];
        int n = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && x.shape().dim(i) != 1)) {
                axes[n++] = i;
            }
        }
        return reduce(ReduceOp.SUM, x, java.util.Arrays.copyOf(axes, n), true).reshape(target);
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDims) {
        Shape s = x.shape();
        int a = s.axis(axis);
        if (s.dim(a) == 0) {
            throw ShapeException.of("argmax", "cannot take argmax over empty axis " + a, s);
        }
        int outer = s.sizeOf(0, a);
        int len = s.dim(a);
        int inner = s.sizeOf(a + 1, s.rank());
        boolean[] flag = new boolean[s.rank()];
        flag[a] = true;
        Tensor out = Tensor.zeros(DType.I64, s.reduce(flag, keepDims));
        long[] idx = (long[]) out.storage().array();
        Storage st = x.storage();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                int best = 0;
                double bestValue = st.getDouble(base);
                for (int r = 1; r < len && !Double.isNaN(bestValue); r++) {
                    double v = st.getDouble(base + r * inner);
                    if (v > bestValue || Double.isNaN(v)) {
                        best = r;
                        bestValue = v;
                    }
                }
                idx[o * inner + i] = best;
            }
        }
        return out;
    }

    /** Marks the reduced axes, rejecting duplicates and out-of-range axes. */
    static boolean[] flags(String op, Shape shape, int[] axes) {
        boolean[] f = new boolean[shape.rank()];
        for (int axis : axes) {
            int a;
            try {
                a = shape.axis(axis);
            } catch (ShapeException e) {
                throw ShapeException.of(op, "axis " + axis + " is out of range", shape);
            }
            if (f[a]) {
                throw ShapeException.of(op, "axis " + axis + " is given twice", shape);
            }
            f[a] = true;
        }
        return f;
    }

    private static int count(Shape shape, boolean[] reduced) {
        int n = 1;
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i]) {
                n *= shape.dim(i);
            }
        }
        return n;
    }
}
