package dev.hyperkron.core;

import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;

/** Reductions along axes and the softmax family built from them. */
final class Reductions {
    private Reductions() {
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        Elementwise.requireFloating(name, x.dtype());
        return reduce(name, op, x, flags(name, x.shape(), axes), keepDims);
    }

    /** Reduces the flagged axes; {@code name} is the public op that asked, for error messages. */
    private static Tensor reduce(String name, ReduceOp op, Tensor x, boolean[] reduced, boolean keepDims) {
        TypedKernels<Object> k = Elementwise.kernels(name, x);
        Shape outShape = x.shape().reduce(reduced, keepDims);
        // Like NumPy: max and min of zero elements have no value, but an empty result needs none.
        if (op != ReduceOp.SUM && count(x.shape(), reduced) == 0 && outShape.size() > 0) {
            throw ShapeException.of(name, "cannot reduce over an empty axis (no value over zero elements)", x.shape());
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
            // A sum over an empty axis has its zeros written by no kernel: keep it cleared.
            Tensor out = len > 0 ? Tensor.output(x.device(), x.dtype(), Shape.of(next))
                    : Tensor.zeros(x.device(), x.dtype(), Shape.of(next));
            k.reduce(op, current.storage().buffer(), 0, outer, len, inner, out.storage().buffer(), 0);
            current = out;
            end = start;
        }
        // current now has size-1 dims exactly where runs were; reshape to the requested layout.
        // Reducing over no axis must still give a new tensor, not a view of x.
        return (current == x ? x.copy() : current).reshape(outShape);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        Elementwise.requireFloating("mean", x.dtype());
        return mean("mean", x, flags("mean", x.shape(), axes), keepDims);
    }

    private static Tensor mean(String name, Tensor x, boolean[] reduced, boolean keepDims) {
        // Dividing by the count rounds once; multiplying by a rounded 1/count would round twice.
        return reduce(name, ReduceOp.SUM, x, reduced, keepDims).div(count(x.shape(), reduced));
    }

    static Tensor variance(Tensor x, int[] axes, boolean keepDims) {
        Elementwise.requireFloating("variance", x.dtype());
        boolean[] reduced = flags("variance", x.shape(), axes);
        Tensor centered = x.sub(mean("variance", x, reduced, true));
        return mean("variance", centered.square(), reduced, keepDims);
    }

    static Tensor logsumexp(Tensor x, int[] axes, boolean keepDims) {
        Elementwise.requireFloating("logsumexp", x.dtype());
        return logsumexp("logsumexp", x, flags("logsumexp", x.shape(), axes), keepDims);
    }

    private static Tensor logsumexp(String name, Tensor x, boolean[] reduced, boolean keepDims) {
        Shape outShape = x.shape().reduce(reduced, keepDims);
        if (count(x.shape(), reduced) == 0) {
            return Tensor.full(x.device(), x.dtype(), Double.NEGATIVE_INFINITY, outShape); // log of an empty sum
        }
        Tensor max = reduce(name, ReduceOp.MAX, x, reduced, true);
        // Shift by the max where it is finite; all -inf (or +inf) slices keep their limit.
        Tensor shift = Tensor.where(max.abs().lt(Double.POSITIVE_INFINITY), max, Tensor.scalar(x.dtype(), 0));
        Tensor lse = reduce(name, ReduceOp.SUM, x.sub(shift).exp(), reduced, true).log().add(shift);
        return lse.reshape(outShape);
    }

    static Tensor softmax(Tensor x, int axis) {
        Elementwise.requireFloating("softmax", x.dtype());
        boolean[] reduced = flags("softmax", x.shape(), new int[] {axis});
        if (x.size() == 0) {
            return Tensor.zeros(x.device(), x.dtype(), x.shape());
        }
        Tensor e = x.sub(reduce("softmax", ReduceOp.MAX, x, reduced, true)).exp();
        return e.div(reduce("softmax", ReduceOp.SUM, e, reduced, true));
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        Elementwise.requireFloating("logSoftmax", x.dtype());
        boolean[] reduced = flags("logSoftmax", x.shape(), new int[] {axis});
        if (x.size() == 0) {
            return Tensor.zeros(x.device(), x.dtype(), x.shape());
        }
        return x.sub(logsumexp("logSoftmax", x, reduced, true));
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
        int a = s.axis("argmax", axis);
        boolean[] flag = new boolean[s.rank()];
        flag[a] = true;
        Tensor out = Tensor.zeros(DType.I64, s.reduce(flag, keepDims));
        if (s.dim(a) == 0 && out.size() > 0) {
            throw ShapeException.of("argmax", "cannot take argmax over empty axis " + a, s);
        }
        int outer = s.sizeOf(0, a);
        int len = s.dim(a);
        int inner = s.sizeOf(a + 1, s.rank());
        long[] idx = (long[]) out.storage().array();
        // Indices are integers, which live on the host: the values are read there.
        Storage st = x.to(Device.host()).storage();
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
            int a = shape.axis(op, axis);
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
