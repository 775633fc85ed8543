package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * The generalized Gauss-Newton matrix J^T H_loss J (J: Jacobian of the model outputs with respect
 * to the parameters, H_loss: Hessian of the loss with respect to the outputs), averaged over
 * batches. Positive semi-definite for convex losses, it is what KFAC approximates.
 * J v comes from the double-vjp trick on a retained pullback graph, J^T u from one vjp.
 */
public final class GgnOperator implements LinearOperator {
    private final Params leaves;
    private final ParamVector layout;
    private final List<BatchGraphs> graphs = new ArrayList<>();

    /** The graphs of one batch that every product reuses. */
    private record BatchGraphs(Var outputs, Var cotangent, List<Var> pullback, Var outputLeaf, Var lossGradient) {
    }

    private GgnOperator(Params params, List<LossBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("GgnOperator needs at least one batch");
        }
        this.leaves = params.asLeaves();
        this.layout = ParamVector.zerosLike(ParamVector.of(params));
        for (LossBatch batch : batches) {
            Var outputs = batch.outputs(leaves, Context.eval());
            // u -> J^T u as a graph in u, so J v = d/du <J^T u, v>.
            Var u = Var.leaf(Tensor.zeros(outputs.dtype(), outputs.shape()));
            List<Var> pullback = Grad.grad(List.of(outputs), leaves.vars(), List.of(u), true, true, true);
            // The loss as a function of the outputs alone, for H_loss by double backward.
            Var z = Var.leaf(outputs.value());
            Var dz = Grad.grad(List.of(batch.lossOf(z)), List.of(z), null, true, true, false).get(0);
            graphs.add(new BatchGraphs(outputs, u, pullback, z, dz));
        }
    }

    /** The GGN at {@code params} of the mean of the batches' losses. */
    public static GgnOperator of(Params params, List<LossBatch> batches) {
        return new GgnOperator(params, batches);
    }

    @Override
    public ParamVector apply(ParamVector v) {
        layout.requireAligned(v);
        List<Var> vs = v.asConstants();
        ParamVector sum = null;
        for (BatchGraphs b : graphs) {
            Var jv = jacobianTimes(b, vs);
            Var hjv = Grad.grad(List.of(b.lossGradient().dot(jv)), List.of(b.outputLeaf()), null, false, true, true).get(0);
            if (hjv == null) {
                continue;
            }
            List<Var> jt = Grad.grad(List.of(b.outputs()), leaves.vars(), List.of(hjv), false, true, true);
            ParamVector term = ParamVector.of(leaves, jt);
            sum = sum == null ? term : sum.add(term);
        }
        ParamVector result = sum == null ? ParamVector.zerosLike(layout) : sum;
        return graphs.size() == 1 ? result : result.scale(1.0 / graphs.size());
    }

    private static Var jacobianTimes(BatchGraphs b, List<Var> v) {
        Var inner = null;
        for (int i = 0; i < v.size(); i++) {
            if (b.pullback().get(i) != null) {
                Var d = b.pullback().get(i).dot(v.get(i));
                inner = inner == null ? d : inner.add(d);
            }
        }
        if (inner == null) {
            return Var.constant(Tensor.zeros(b.outputs().dtype(), b.outputs().shape()));
        }
        Var jv = Grad.grad(List.of(inner), List.of(b.cotangent()), null, false, true, true).get(0);
        return jv == null ? Var.constant(Tensor.zeros(b.outputs().dtype(), b.outputs().shape())) : jv.detach();
    }

    @Override
    public ParamVector layout() {
        return layout;
    }
}
