package dev.hyperkron.nn.loss;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/**
 * Binary cross-entropy on logits, l_n = sum_c softplus(z_nc) - y_nc z_nc (stable for large |z|),
 * the negative log-likelihood of independent Bernoulli(sigmoid(z)) outputs. MEAN averages over
 * all N * C elements, like PyTorch.
 */
public final class BceWithLogitsLoss implements Loss {

    @Override
    public Var perExample(Var logits, Tensor targets) {
        Loss.requireTargetsLikeOutputs("BCE-with-logits", logits.value(), targets);
        return logits.softplus().sub(logits.mul(Var.constant(targets))).sum(1, false);
    }

    @Override
    public double meanDivisor(int batch, int outputs) {
        return (double) batch * outputs;
    }

    /** S = diag(sqrt(s (1 - s))) with s = sigmoid(z). */
    @Override
    public Tensor hessianFactor(Tensor logits) {
        int n = Loss.requireBatchOfRows("BCE-with-logits", logits);
        int c = logits.dim(1);
        Tensor s = logits.sigmoid();
        Tensor scale = s.mul(s.neg().add(1.0)).sqrt().reshape(n, 1, c);
        return Tensor.eye(logits.dtype(), c).to(logits.device()).reshape(1, c, c).mul(scale);
    }

    /** Independent 0/1 draws with P(1) = sigmoid(z). */
    @Override
    public Tensor sampleTargets(Tensor logits, Rng rng) {
        Loss.requireBatchOfRows("BCE-with-logits", logits);
        return Tensor.rand(rng, logits.dtype(), logits.shape().dims()).lt(logits.sigmoid());
    }

    @Override
    public String toString() {
        return "BceWithLogitsLoss";
    }
}
