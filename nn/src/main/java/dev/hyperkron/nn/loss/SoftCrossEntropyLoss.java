package dev.hyperkron.nn.loss;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/**
 * Softmax cross-entropy against soft targets, rows of class probabilities [N, C]: l_n =
 * -sum_c y_nc log softmax(z_n)_c. Hard labels are its one-hot case; soft labels that an attacker
 * or a learner optimizes are why it exists, so the loss is differentiable in the targets too
 * ({@link #perExample(Var, Var)}). Its Hessian in the logits does not depend on the targets as
 * long as each row sums to one: it is cross-entropy's, and so are its factors and samples.
 */
public final class SoftCrossEntropyLoss implements Loss {
    private final CrossEntropyLoss hard = new CrossEntropyLoss();

    @Override
    public Var perExample(Var logits, Tensor targets) {
        return perExample(logits, Var.constant(targets));
    }

    /** Per-example losses [N] for targets that may require gradients (e.g. relaxed labels). */
    public Var perExample(Var logits, Var targets) {
        Loss.requireTargetsLikeOutputs("soft cross-entropy", logits.value(), targets.value());
        return logits.logSoftmax(1).mul(targets).sum(1, false).neg();
    }

    @Override
    public double meanDivisor(int batch, int outputs) {
        return batch;
    }

    /** Cross-entropy's factor: with rows of y summing to one the Hessian is diag(p) - p p^T whatever y is. */
    @Override
    public Tensor hessianFactor(Tensor logits) {
        return hard.hessianFactor(logits);
    }

    /** One-hot rows of classes drawn from softmax(z). */
    @Override
    public Tensor sampleTargets(Tensor logits, Rng rng) {
        return Tensor.oneHot(hard.sampleTargets(logits, rng), logits.dim(1), logits.dtype()).to(logits.device());
    }

    @Override
    public String toString() {
        return "SoftCrossEntropyLoss";
    }
}
