package dev.hyperkron.autodiff;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/** Elementwise ops, each with its backward rule beside it. Binary rules sum gradients back to broadcast operands. */
final class ElementwiseOps {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_TWO_PI = 0.3989422804014327;
    private static final double SQRT_HALF = 0.7071067811865476;

    private ElementwiseOps() {
    }

    static Var neg(Var x) {
        return Var.record("neg", x.value().neg(), (g, y, need) -> new Var[] {g.neg()}, x);
    }

    static Var scale(Var x, double c) {
        return Var.record("scale", x.value().mul(c), (g, y, need) -> new Var[] {g.mul(c)}, x);
    }

    static Var abs(Var x) {
        return Var.record("abs", x.value().abs(),
                (g, y, need) -> new Var[] {g.mul(Var.constant(x.value().sign()))}, x);
    }

    static Var square(Var x) {
        return Var.record("square", x.value().square(), (g, y, need) -> new Var[] {g.mul(x).mul(2.0)}, x);
    }

    static Var sqrt(Var x) {
        return Var.record("sqrt", x.value().sqrt(), (g, y, need) -> new Var[] {g.div(y).mul(0.5)}, x);
    }

    static Var reciprocal(Var x) {
        return Var.record("reciprocal", x.value().reciprocal(), (g, y, need) -> new Var[] {g.mul(y.square()).neg()}, x);
    }

    static Var exp(Var x) {
        return Var.record("exp", x.value().exp(), (g, y, need) -> new Var[] {g.mul(y)}, x);
    }

    static Var log(Var x) {
        return Var.record("log", x.value().log(), (g, y, need) -> new Var[] {g.div(x)}, x);
    }

    static Var tanh(Var x) {
        return Var.record("tanh", x.value().tanh(),
                (g, y, need) -> new Var[] {g.mul(y.square().neg().add(1.0))}, x);
    }

    static Var sigmoid(Var x) {
        return Var.record("sigmoid", x.value().sigmoid(),
                (g, y, need) -> new Var[] {g.mul(y).mul(y.neg().add(1.0))}, x);
    }

    static Var relu(Var x) {
        return Var.record("relu", x.value().relu(), (g, y, need) -> new Var[] {g.mul(Var.constant(x.value().step()))}, x);
    }

    /**
     * ReLU's backward from its output y: g where y is positive, else 0, in one pass. Linear in g
     * with a constant mask, so its own backward is itself.
     */
    static Var whereOutputPositive(Var g, Tensor y) {
        Tensor zero = Tensor.scalar(g.dtype(), 0);
        return Var.record("reluBackward", Tensor.where(y, g.value(), zero),
                (gg, unused, need) -> new Var[] {whereOutputPositive(gg, y)}, g);
    }

    static Var softplus(Var x) {
        return Var.record("softplus", x.value().softplus(), (g, y, need) -> new Var[] {g.mul(x.sigmoid())}, x);
    }

    static Var erf(Var x) {
        return Var.record("erf", x.value().erf(),
                (g, y, need) -> new Var[] {g.mul(x.square().neg().exp()).mul(TWO_OVER_SQRT_PI)}, x);
    }

    static Var gelu(Var x) {
        // d/dx x Phi(x) = Phi(x) + x phi(x), with Phi(x) = (1 + erf(x / sqrt 2)) / 2.
        return Var.record("gelu", x.value().gelu(), (g, y, need) -> {
            Var cdf = x.mul(SQRT_HALF).erf().add(1.0).mul(0.5);
            Var pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_TWO_PI);
            return new Var[] {g.mul(cdf.add(x.mul(pdf)))};
        }, x);
    }

    static Var pow(Var x, double c) {
        return Var.record("pow", x.value().pow(c),
                (g, y, need) -> new Var[] {c == 0 ? null : g.mul(x.pow(c - 1)).mul(c)}, x);
    }

    static Var clamp(Var x, double low, double high) {
        Tensor inside = x.value().lt(low).add(x.value().gt(high)).eq(0.0);
        return Var.record("clamp", x.value().clamp(low, high), (g, y, need) -> new Var[] {g.mul(Var.constant(inside))}, x);
    }

    static Var add(Var a, Var b) {
        return Var.record("add", a.value().add(b.value()),
                (g, y, need) -> new Var[] {need[0] ? toShape(g, a) : null, need[1] ? toShape(g, b) : null}, a, b);
    }

    static Var sub(Var a, Var b) {
        return Var.record("sub", a.value().sub(b.value()),
                (g, y, need) -> new Var[] {need[0] ? toShape(g, a) : null, need[1] ? toShape(g.neg(), b) : null}, a, b);
    }

    static Var mul(Var a, Var b) {
        return Var.record("mul", a.value().mul(b.value()), (g, y, need) -> new Var[] {
                need[0] ? toShape(g.mul(b), a) : null,
                need[1] ? toShape(g.mul(a), b) : null}, a, b);
    }

    static Var div(Var a, Var b) {
        return Var.record("div", a.value().div(b.value()), (g, y, need) -> new Var[] {
                need[0] ? toShape(g.div(b), a) : null,
                need[1] ? toShape(g.mul(y).div(b).neg(), b) : null}, a, b);
    }

    static Var pow(Var a, Var b) {
        return Var.record("pow", a.value().pow(b.value()), (g, y, need) -> new Var[] {
                need[0] ? toShape(g.mul(b).mul(a.pow(b.sub(1.0))), a) : null,
                need[1] ? toShape(g.mul(y).mul(a.log()), b) : null}, a, b);
    }

    static Var maximum(Var a, Var b) {
        return extreme("maximum", a, b, a.value().maximum(b.value()), a.value().gt(b.value()));
    }

    static Var minimum(Var a, Var b) {
        return extreme("minimum", a, b, a.value().minimum(b.value()), a.value().lt(b.value()));
    }

    // The winner takes the gradient; on ties each operand gets half (as PyTorch does).
    private static Var extreme(String op, Var a, Var b, Tensor value, Tensor aWins) {
        Tensor tie = a.value().eq(b.value()).mul(0.5);
        Tensor toA = aWins.add(tie);
        Tensor toB = toA.neg().add(1.0);
        return Var.record(op, value, (g, y, need) -> new Var[] {
                need[0] ? toShape(g.mul(Var.constant(toA)), a) : null,
                need[1] ? toShape(g.mul(Var.constant(toB)), b) : null}, a, b);
    }

    static Var where(Tensor cond, Var a, Var b) {
        Tensor mask = cond.cast(a.dtype()).ne(Tensor.scalar(a.dtype(), 0));
        Tensor zero = Tensor.scalar(a.dtype(), 0);
        return Var.record("where", Tensor.where(mask, a.value(), b.value()), (g, y, need) -> new Var[] {
                need[0] ? toShape(Var.where(mask, g, Var.constant(zero)), a) : null,
                need[1] ? toShape(Var.where(mask, Var.constant(zero), g), b) : null}, a, b);
    }

    static Var cast(Var x, DType target) {
        if (!target.isFloating()) {
            throw new IllegalArgumentException("cast: a differentiable Var can only be cast to F32 or F64, not " + target);
        }
        if (target == x.dtype()) {
            return x;
        }
        DType source = x.dtype();
        return Var.record("cast", x.value().cast(target), (g, y, need) -> new Var[] {g.cast(source)}, x);
    }

    /** The gradient of a broadcast operand: summed over the dimensions it was broadcast along. */
    static Var toShape(Var g, Var operand) {
        return g.shape().equals(operand.shape()) ? g : g.sumTo(operand.shape());
    }
}
