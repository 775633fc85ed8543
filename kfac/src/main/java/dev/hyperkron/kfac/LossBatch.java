package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.List;

/**
 * One batch of a training objective as curvature operators see it: a model, its inputs, the
 * targets, optional fixed per-example weights, and the loss with its reduction. Curvature is
 * taken in evaluation mode (no dropout noise in a Hessian).
 *
 * @param weights per-example weights [N] (held constant), or null for an unweighted loss
 */
public record LossBatch(Module model, Tensor inputs, Tensor targets, Tensor weights, Loss loss, Reduction reduction) {

    public LossBatch {
        if (reduction == Reduction.NONE) {
            throw new IllegalArgumentException("curvature needs a scalar loss: use Reduction.MEAN or SUM");
        }
        if (weights != null && (weights.rank() != 1 || weights.dim(0) != inputs.dim(0))) {
            throw new IllegalArgumentException("weights must be [" + inputs.dim(0) + "], got " + weights.shape());
        }
    }

    /** An unweighted, mean-reduced batch. */
    public static LossBatch of(Module model, Tensor inputs, Tensor targets, Loss loss) {
        return new LossBatch(model, inputs, targets, null, loss, Reduction.MEAN);
    }

    /** Number of examples. */
    public int size() {
        return inputs.dim(0);
    }

    /** The model's outputs at {@code params}. */
    public Var outputs(Params params, Context ctx) {
        return model.apply(params, Var.constant(inputs), ctx);
    }

    /** The loss at the given outputs. */
    public Var lossOf(Var outputs) {
        return loss.apply(outputs, targets, weights == null ? null : Var.constant(weights), reduction);
    }

    /** The loss at {@code params}. */
    public Var lossAt(Params params) {
        return lossOf(outputs(params, Context.eval()));
    }

    /**
     * The weight of each batch's curvature in the curvature of the loss over the union of the
     * batches: n_b / N for mean-reduced losses (so a batch weighs by its number of examples) and
     * 1 for sum-reduced ones (MATH.md section 6). The batches must share one reduction.
     */
    public static double[] unionWeights(List<LossBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("curvature needs at least one batch");
        }
        Reduction reduction = batches.get(0).reduction();
        long total = 0;
        for (LossBatch b : batches) {
            if (b.reduction() != reduction) {
                throw new IllegalArgumentException("the batches mix loss reductions (" + reduction + " and "
                        + b.reduction() + "); curvature over their union needs one");
            }
            total += b.size();
        }
        double[] weights = new double[batches.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = reduction == Reduction.SUM ? 1.0 : (double) batches.get(i).size() / total;
        }
        return weights;
    }

    /** The divisor that turns sums over examples into this batch's loss (1 for SUM). */
    public double divisor(int outputs) {
        return reduction == Reduction.SUM ? 1.0 : loss.meanDivisor(size(), outputs);
    }
}
