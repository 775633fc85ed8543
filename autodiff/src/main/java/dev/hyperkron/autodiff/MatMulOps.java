package dev.hyperkron.autodiff;

/** Matrix product with transpose flags and broadcast batch axes, with its backward rule. */
final class MatMulOps {
    private MatMulOps() {
    }

    /**
     * C = op(A) op(B). Then d op(A) = g op(B)^T and d op(B) = op(A)^T g, transposed back where the
     * operand was transposed, and summed over the batch axes an operand was broadcast along.
     */
    static Var matmul(Var a, Var b, boolean transA, boolean transB) {
        return Var.record("matmul", a.value().matmul(b.value(), transA, transB), (g, y, need) -> new Var[] {
                need[0] ? gradA(g, a, b, transA, transB) : null,
                need[1] ? gradB(g, a, b, transA, transB) : null}, a, b);
    }

    private static Var gradA(Var g, Var a, Var b, boolean transA, boolean transB) {
        Var d = transA ? b.matmul(g, transB, true) : g.matmul(b, false, !transB);
        return ElementwiseOps.toShape(d, a);
    }

    private static Var gradB(Var g, Var a, Var b, boolean transA, boolean transB) {
        if (a.rank() > 2 && b.rank() == 2 && !transA) {
            // A shared 2-D operand (a Linear layer on sequences): fold the batch into the rows and
            // contract once, instead of a batch of products summed afterwards.
            Var a2 = a.reshape(-1, a.dim(-1));
            Var g2 = g.reshape(-1, g.dim(-1));
            return transB ? g2.matmul(a2, true, false) : a2.matmul(g2, true, false);
        }
        Var d = transB ? g.matmul(a, true, transA) : a.matmul(g, !transA, false);
        return ElementwiseOps.toShape(d, b);
    }
}
