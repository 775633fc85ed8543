package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.GraphMemory;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The generalized Gauss-Newton matrix J^T H_loss J (J: Jacobian of the model outputs with respect
 * to the parameters, H_loss: Hessian of the loss with respect to the outputs), over the union of
 * the batches ({@link LossBatch#unionWeights}). Positive semi-definite for convex losses, it is what
 * KFAC approximates. J v comes from the double-vjp trick on a retained pullback graph, J^T u from
 * one vjp.
 */
public final class GgnOperator extends CurvatureOperator {
    private final Params leaves;
    private final List<BatchGraphs> graphs = new ArrayList<>();
    private final long retainedBytes;

    /** The graphs of one batch that every product reuses, and the batch's share of the examples. */
    private record BatchGraphs(Var outputs, Var cotangent, Params pullback, Var outputLeaf, Var lossGradient,
                               double weight) {
    }

    private GgnOperator(Params params, List<LossBatch> batches) {
        super(params.zerosLike());
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("GgnOperator needs at least one batch");
        }
        this.leaves = params.asLeaves();
        double[] weights = LossBatch.unionWeights(batches);
        List<Var> roots = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            LossBatch batch = batches.get(i);
            Var outputs = batch.outputs(leaves, Context.eval());
            // u -> J^T u as a graph in u, so J v = d/du <J^T u, v>.
            Var u = Var.leaf(Tensor.zeros(outputs.value().device(), outputs.dtype(), outputs.shape()));
            Params pullback = Grad.grad(outputs, leaves, Grad.Options.DEFAULT.seeds(List.of(u)).createGraph());
            // The loss as a function of the outputs alone, for H_loss by double backward.
            Var z = Var.leaf(outputs.value());
            Var dz = Grad.grad(List.of(batch.lossOf(z)), List.of(z), Grad.Options.DEFAULT.createGraph()).get(0);
            graphs.add(new BatchGraphs(outputs, u, pullback, z, dz, weights[i]));
            roots.addAll(pullback.vars());
            roots.add(outputs);
            roots.add(dz);
        }
        this.retainedBytes = GraphMemory.retainedBytes(roots);
    }

    /** The GGN at {@code params} of the loss over the union of the batches. */
    public static GgnOperator of(Params params, List<LossBatch> batches) {
        return new GgnOperator(params, batches);
    }

    @Override
    public Params apply(Params v) {
        domain.requireAligned(v);
        Params sum = null;
        for (BatchGraphs b : graphs) {
            Var jv = jacobianTimes(b, v);
            List<Var> hjv = Grad.grad(List.of(b.lossGradient().dot(jv)), List.of(b.outputLeaf()),
                    Grad.Options.DEFAULT.retainGraph().allowUnused());
            if (hjv.get(0) == null) {
                continue;
            }
            Params term = Grad.grad(b.outputs(), leaves, Grad.Options.DEFAULT.seeds(hjv).retainGraph());
            sum = sum == null ? term.scale(b.weight()) : sum.axpy(b.weight(), term);
        }
        return sum == null ? domain : sum;
    }

    private static Var jacobianTimes(BatchGraphs b, Params v) {
        Var inner = b.pullback().innerProduct(v);
        Var zeros = Var.constant(Tensor.zeros(b.outputs().value().device(), b.outputs().dtype(), b.outputs().shape()));
        if (inner == null || !inner.requiresGrad()) {
            return zeros;
        }
        Var jv = Grad.grad(List.of(inner), List.of(b.cotangent()), Grad.Options.DEFAULT.retainGraph().allowUnused())
                .get(0);
        return jv == null ? zeros : jv.detach();
    }

    @Override
    public long storedBytes() {
        return retainedBytes;
    }
}
