package dev.hyperkron.autodiff;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;

/** Ops that move elements (reshape, permute, slice, pad, concat, expand) with their adjoints as backward rules. */
final class LayoutOps {
    private LayoutOps() {
    }

    static Var reshape(Var x, Shape shape) {
        if (shape.equals(x.shape())) {
            return x;
        }
        Tensor value = x.value().reshape(shape);
        return Var.record("reshape", value, (g, y, need) -> new Var[] {g.reshape(x.shape())}, x);
    }

    static Var permute(Var x, int[] perm) {
        Tensor value = x.value().permute(perm);
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[x.shape().axis(perm[i])] = i;
        }
        return Var.record("permute", value, (g, y, need) -> new Var[] {g.permute(inverse)}, x);
    }

    static Var slice(Var x, int axis, int start, int end) {
        Tensor value = x.value().slice(axis, start, end);
        int size = x.shape().dim(axis);
        return Var.record("slice", value, (g, y, need) -> new Var[] {g.pad(axis, start, size - end)}, x);
    }

    static Var pad(Var x, int axis, int before, int after) {
        Tensor value = x.value().pad(axis, before, after);
        int size = x.shape().dim(axis);
        return Var.record("pad", value, (g, y, need) -> new Var[] {g.slice(axis, before, before + size)}, x);
    }

    static Var concat(int axis, Var[] parts) {
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        Tensor value = Tensor.concat(axis, values);
        return Var.record("concat", value, (g, y, need) -> {
            Var[] grads = new Var[parts.length];
            int start = 0;
            for (int i = 0; i < parts.length; i++) {
                int size = parts[i].shape().dim(axis);
                grads[i] = need[i] ? g.slice(axis, start, start + size) : null;
                start += size;
            }
            return grads;
        }, parts);
    }

    static Var expand(Var x, Shape target) {
        if (target.equals(x.shape())) {
            return x;
        }
        return Var.record("expand", x.value().expand(target), (g, y, need) -> new Var[] {g.sumTo(x.shape())}, x);
    }
}
