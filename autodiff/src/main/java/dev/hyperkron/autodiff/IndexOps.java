package dev.hyperkron.autodiff;

import dev.hyperkron.core.Tensor;

/** Index-driven ops; gather/scatter-add and index-select/index-add are each other's adjoints. */
final class IndexOps {
    private IndexOps() {
    }

    static Var gather(Var x, int axis, Tensor index) {
        return Var.record("gather", x.value().gather(axis, index), (g, y, need) -> new Var[] {
                Var.constant(Tensor.zeros(x.value().device(), x.dtype(), x.shape())).scatterAdd(axis, index, g)}, x);
    }

    static Var scatterAdd(Var base, int axis, Tensor index, Var src) {
        return Var.record("scatterAdd", base.value().scatterAdd(axis, index, src.value()), (g, y, need) -> new Var[] {
                need[0] ? g : null,
                need[1] ? g.gather(axis, index) : null}, base, src);
    }

    static Var indexSelect(Var x, int axis, Tensor indices) {
        return Var.record("indexSelect", x.value().indexSelect(axis, indices), (g, y, need) -> new Var[] {
                Var.constant(Tensor.zeros(x.value().device(), x.dtype(), x.shape())).indexAdd(axis, indices, g)}, x);
    }

    static Var indexAdd(Var base, int axis, Tensor indices, Var src) {
        return Var.record("indexAdd", base.value().indexAdd(axis, indices, src.value()), (g, y, need) -> new Var[] {
                need[0] ? g : null,
                need[1] ? g.indexSelect(axis, indices) : null}, base, src);
    }
}
