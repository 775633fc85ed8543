package dev.hyperkron.nn.loss;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/**
 * Squared error l_n = sum_c (z_nc - y_nc)^2, the negative log-likelihood (up to a constant) of
 * y ~ N(z, I/2). Its MEAN reduction averages over all N * C elements, like PyTorch's MSELoss.
 */
public final class MseLoss implements Loss {

    @Override
    public Var perExample(Var logits, Tensor targets) {
        Loss.requireTargetsLikeOutputs("MSE", logits.value(), targets);
        return logits.sub(Var.constant(targets)).square().sum(1, false);
    }

    @Override
    public double meanDivisor(int batch, int outputs) {
        return (double) batch * outputs;
    }

    /** The Hessian is 2 I for every example, so S = sqrt(2) I. */
    @Override
    public Tensor hessianFactor(Tensor logits) {
        int n = Loss.requireBatchOfRows("MSE", logits);
        int c = logits.dim(1);
        return Tensor.eye(logits.dtype(), c).to(logits.device()).mul(Math.sqrt(2.0)).reshape(1, c, c).expand(dev.hyperkron.core.Shape.of(n, c, c));
    }

    /** y = z + noise with variance 1/2 per element. */
    @Override
    public Tensor sampleTargets(Tensor logits, Rng rng) {
        Loss.requireBatchOfRows("MSE", logits);
        return logits.add(Tensor.randn(rng, logits.dtype(), logits.shape().dims()).mul(Math.sqrt(0.5)));
    }

    @Override
    public String toString() {
        return "MseLoss";
    }
}
