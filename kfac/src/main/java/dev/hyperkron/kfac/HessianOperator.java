package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.GraphMemory;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Hessian of a loss with respect to all parameters, over one or more batches weighted as
 * {@link LossBatch#unionWeights} says (the Hessian of the loss over their union), applied by double
 * backward (Hessian-vector products). The differentiable gradient of each batch is built once
 * and kept, so every further product costs one extra backward pass; {@link #storedBytes} is the
 * measured size of that retained graph.
 */
public final class HessianOperator extends CurvatureOperator {
    private final Params leaves;
    private final List<Params> gradients = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private final long retainedBytes;

    private HessianOperator(Params params, List<Function<Params, Var>> losses, List<Double> batchWeights) {
        super(params.zerosLike());
        if (losses.isEmpty()) {
            throw new IllegalArgumentException("HessianOperator needs at least one loss");
        }
        this.leaves = params.asLeaves();
        for (Function<Params, Var> loss : losses) {
            gradients.add(Grad.grad(loss.apply(leaves), leaves, Grad.Options.DEFAULT.createGraph()));
        }
        weights.addAll(batchWeights);
        List<Var> roots = new ArrayList<>();
        for (Params g : gradients) {
            roots.addAll(g.vars());
        }
        this.retainedBytes = GraphMemory.retainedBytes(roots);
    }

    /** The Hessian at {@code params} of the loss over the union of the batches. */
    public static HessianOperator of(Params params, List<LossBatch> batches) {
        List<Function<Params, Var>> losses = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double[] union = LossBatch.unionWeights(batches);
        for (int i = 0; i < union.length; i++) {
            losses.add(batches.get(i)::lossAt);
            weights.add(union[i]);
        }
        return new HessianOperator(params, losses, weights);
    }

    /** The Hessian at {@code params} of any scalar function of the parameters (e.g. a loss plus a regularizer). */
    public static HessianOperator ofFunction(Params params, Function<Params, Var> loss) {
        return new HessianOperator(params, List.of(loss), List.of(1.0));
    }

    @Override
    public Params apply(Params v) {
        domain.requireAligned(v);
        Params sum = null;
        for (int b = 0; b < gradients.size(); b++) {
            Var inner = gradients.get(b).innerProduct(v);
            if (inner == null || !inner.requiresGrad()) {
                continue;
            }
            Params hv = Grad.grad(inner, leaves, Grad.Options.DEFAULT.retainGraph());
            double w = weights.get(b);
            sum = sum == null ? (w == 1 ? hv : hv.scale(w)) : sum.axpy(w, hv);
        }
        return sum == null ? domain : sum;
    }

    @Override
    public long storedBytes() {
        return retainedBytes;
    }
}
