package dev.hyperkron.autodiff;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;

/** Reductions and the softmax family, each with its backward rule. */
final class ReductionOps {
    private ReductionOps() {
    }

    static Var sum(Var x, int[] axes, boolean keepDims) {
        Shape kept = keptShape(x, axes);
        return Var.record("sum", x.value().sum(axes, keepDims),
                (g, y, need) -> new Var[] {g.reshape(kept).expand(x.shape())}, x);
    }

    static Var mean(Var x, int[] axes, boolean keepDims) {
        Shape kept = keptShape(x, axes);
        int count = Math.max(1, x.size() / Math.max(1, kept.size()));
        Tensor value = x.value().mean(axes, keepDims);
        return Var.record("mean", value,
                (g, y, need) -> new Var[] {g.reshape(kept).expand(x.shape()).mul(1.0 / count)}, x);
    }

    /** max (or min) along axes; the gradient is shared equally among tied extreme elements. */
    static Var extreme(Var x, int[] axes, boolean keepDims, boolean max) {
        Tensor keptValue = max ? x.value().max(axes, true) : x.value().min(axes, true);
        Shape kept = keptValue.shape();
        Tensor hits = x.value().eq(keptValue);
        Tensor share = hits.div(hits.sum(axes, true));
        return Var.record(max ? "max" : "min", keepDims ? keptValue : keptValue.reshape(droppedShape(x, axes)),
                (g, y, need) -> new Var[] {g.reshape(kept).mul(Var.constant(share))}, x);
    }

    static Var logsumexp(Var x, int[] axes, boolean keepDims) {
        Tensor keptValue = x.value().logsumexp(axes, true);
        Shape kept = keptValue.shape();
        Tensor value = keepDims ? keptValue : keptValue.reshape(droppedShape(x, axes));
        return Var.record("logsumexp", value, (g, y, need) -> {
            Var softmax = x.sub(y.reshape(kept)).exp();
            return new Var[] {g.reshape(kept).mul(softmax)};
        }, x);
    }

    static Var variance(Var x, int[] axes, boolean keepDims) {
        Var centered = x.sub(x.mean(axes, true));
        return centered.square().mean(axes, keepDims);
    }

    static Var softmax(Var x, int axis) {
        // dx = y * (g - sum(g * y)) along the axis.
        return Var.record("softmax", x.value().softmax(axis),
                (g, y, need) -> new Var[] {y.mul(g.sub(g.mul(y).sum(axis, true)))}, x);
    }

    static Var logSoftmax(Var x, int axis) {
        // dx = g - softmax(x) * sum(g) along the axis.
        return Var.record("logSoftmax", x.value().logSoftmax(axis),
                (g, y, need) -> new Var[] {g.sub(y.exp().mul(g.sum(axis, true)))}, x);
    }

    /**
     * sum(a * b) over all elements of two same-shape Vars in one pass (accumulated in double),
     * instead of a product tensor and a sum; the backward scales the other operand by the
     * incoming scalar, instead of expanding it to a full tensor first. A squared norm (a.dot(a), an
     * L2 penalty) gets its gradient 2 g a as one product rather than two added up: the same
     * numbers, one pass instead of three over a tensor the size of a weight.
     */
    static Var dot(Var a, Var b) {
        if (!a.shape().equals(b.shape())) {
            return a.mul(b).sum(); // broadcasting operands: the general path
        }
        Tensor value = a.value().vdot(b.value());
        if (a == b) {
            return Var.record("dot", value, (g, y, need) -> new Var[] {a.mul(g.mul(2.0))}, a);
        }
        return Var.record("dot", value, (g, y, need) -> new Var[] {
                need[0] ? b.mul(g) : null,
                need[1] ? a.mul(g) : null}, a, b);
    }

    static Var sumTo(Var x, Shape target) {
        if (x.shape().equals(target)) {
            return x;
        }
        return Var.record("sumTo", x.value().sumTo(target), (g, y, need) -> new Var[] {g.expand(x.shape())}, x);
    }

    /** The result shape with keepDims = true: reduced axes kept with size 1. */
    private static Shape keptShape(Var x, int[] axes) {
        return x.shape().reduce(flags(x, axes), true);
    }

    /** The result shape with keepDims = false: reduced axes dropped. */
    private static Shape droppedShape(Var x, int[] axes) {
        return x.shape().reduce(flags(x, axes), false);
    }

    private static boolean[] flags(Var x, int[] axes) {
        boolean[] reduced = new boolean[x.rank()];
        for (int axis : axes) {
            reduced[x.shape().axis(axis)] = true;
        }
        return reduced;
    }
}
