package dev.hyperkron.nn.loss;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/**
 * A loss on model outputs ("logits" [N, C]) that is, per example, the negative log-likelihood
 * of a predictive distribution. Besides its value it offers what curvature approximations
 * need: a symmetric factor of its Hessian with respect to the logits (type-2 Fisher, exact GGN)
 * and samples from the predictive distribution (Monte-Carlo Fisher).
 */
public interface Loss {

    /** Per-example losses l_n, a [N] Var. */
    Var perExample(Var logits, Tensor targets);

    /**
     * Divisor of the MEAN reduction: N for cross-entropy, N * C for MSE and BCE (PyTorch averages
     * those over every element).
     */
    double meanDivisor(int batch, int outputs);

    /**
     * Per-example factors S_n [N, C, K] with S_n S_n^T = d^2 l_n / dz_n^2 at the given logits (the
     * Hessian does not depend on the targets for these losses).
     */
    Tensor hessianFactor(Tensor logits);

    /** Targets drawn from the predictive distribution at the given logits. */
    Tensor sampleTargets(Tensor logits, Rng rng);

    /** The loss without per-example weights. */
    default Var apply(Var logits, Tensor targets, Reduction reduction) {
        return apply(logits, targets, null, reduction);
    }

    /**
     * The reduced loss. With per-example weights w (a [N] Var that may require gradients, e.g.
     * for data hypercleaning): MEAN = sum(w l) / divisor, SUM = sum(w l), NONE = w l.
     */
    default Var apply(Var logits, Tensor targets, Var weights, Reduction reduction) {
        Var perExample = perExample(logits, targets);
        if (weights != null) {
            if (!weights.shape().equals(perExample.shape())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": weights have shape " + weights.shape()
                        + " but there are " + perExample.shape() + " examples");
            }
            perExample = perExample.mul(weights);
        }
        return switch (reduction) {
            case NONE -> perExample;
            case SUM -> perExample.sum();
            case MEAN -> perExample.sum().mul(1.0 / meanDivisor(logits.dim(0), logits.dim(-1)));
        };
    }

    /** Checks logits are [N, C] and returns N. */
    static int requireBatchOfRows(String loss, Tensor logits) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException(loss + ": logits must be [N, C], got " + logits.shape());
        }
        return logits.dim(0);
    }

    /** Checks logits are [N, C] and targets have their shape and dtype (regression-style targets). */
    static void requireTargetsLikeOutputs(String loss, Tensor logits, Tensor targets) {
        requireBatchOfRows(loss, logits);
        if (!targets.shape().equals(logits.shape()) || targets.dtype() != logits.dtype()) {
            throw new IllegalArgumentException(loss + ": targets must match the outputs " + logits.dtype() + " "
                    + logits.shape() + ", got " + targets.dtype() + " " + targets.shape());
        }
    }
}
