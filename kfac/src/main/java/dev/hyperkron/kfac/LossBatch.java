package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.Params;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.Reduction;

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

    /** The divisor that turns sums over examples into this batch's loss (1 for SUM). */
    public double divisor(int outputs) {
        return reduction == Reduction.SUM ? 1.0 : loss.meanDivisor(size(), outputs);
    }
}
