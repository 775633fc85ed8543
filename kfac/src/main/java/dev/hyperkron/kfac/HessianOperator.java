package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Hessian of a loss with respect to all parameters, averaged over one or more batches,
 * applied by double backward (Hessian-vector products). The first-order graph of each batch
 * is built once and kept, so every further product costs one extra backward pass.
 */
public final class HessianOperator implements LinearOperator {
    private final Params leaves;
    private final List<List<Var>> gradients = new ArrayList<>();
    private final ParamVector layout;

    private HessianOperator(Params params, List<Function<Params, Var>> losses) {
        if (losses.isEmpty()) {
            throw new IllegalArgumentException("HessianOperator needs at least one loss");
        }
        this.leaves = params.asLeaves();
        this.layout = ParamVector.zerosLike(ParamVector.of(params));
        for (Function<Params, Var> loss : losses) {
            gradients.add(Grad.grad(List.of(loss.apply(leaves)), leaves.vars(), null, true, true, true));
        }
    }

    /** The Hessian at {@code params} of the mean of the batches' losses. */
    public static HessianOperator of(Params params, List<LossBatch> batches) {
        List<Function<Params, Var>> losses = new ArrayList<>();
        for (LossBatch b : batches) {
            losses.add(b::lossAt);
        }
        return new HessianOperator(params, losses);
    }

    /** The Hessian at {@code params} of any scalar function of the parameters (e.g. a loss plus a regularizer). */
    public static HessianOperator ofFunction(Params params, Function<Params, Var> loss) {
        return new HessianOperator(params, List.of(loss));
    }

    @Override
    public ParamVector apply(ParamVector v) {
        layout.requireAligned(v);
        ParamVector sum = null;
        List<Var> vs = v.asConstants();
        for (List<Var> g : gradients) {
            Var inner = null;
            for (int i = 0; i < g.size(); i++) {
                if (g.get(i) != null) {
                    Var d = g.get(i).dot(vs.get(i));
                    inner = inner == null ? d : inner.add(d);
                }
            }
            if (inner == null) {
                continue;
            }
            ParamVector hv = ParamVector.of(leaves,
                    Grad.grad(List.of(inner), leaves.vars(), null, false, true, true));
            sum = sum == null ? hv : sum.add(hv);
        }
        ParamVector result = sum == null ? ParamVector.zerosLike(layout) : sum;
        return gradients.size() == 1 ? result : result.scale(1.0 / gradients.size());
    }

    @Override
    public ParamVector layout() {
        return layout;
    }
}
