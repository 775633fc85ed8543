package dev.hyperkron.nn.optim;

/**
 * The hyperparameters of Adam and AdamW, with PyTorch's meaning and defaults
 * ({@code torch.optim.Adam}, {@code torch.optim.AdamW}), validated once here.
 *
 * @param learningRate          step size, finite and >= 0
 * @param beta1                 decay rate of the first-moment estimate, in [0, 1)
 * @param beta2                 decay rate of the second-moment estimate, in [0, 1)
 * @param eps                   added to the denominator for stability, finite and >= 0
 * @param weightDecay           weight decay coefficient, finite and >= 0
 * @param decoupledWeightDecay  AdamW: shrink the parameters by {@code 1 - lr * weightDecay} instead
 *                              of adding {@code weightDecay * param} to the gradient
 * @param amsgrad               use the running maximum of the second-moment estimate
 */
public record AdamSettings(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                           boolean decoupledWeightDecay, boolean amsgrad) {

    public AdamSettings {
        String owner = decoupledWeightDecay ? "AdamW" : "Adam";
        Hyperparameters.nonNegative(owner, "learning rate", learningRate);
        Hyperparameters.decayRate(owner, "beta1", beta1);
        Hyperparameters.decayRate(owner, "beta2", beta2);
        Hyperparameters.nonNegative(owner, "eps", eps);
        Hyperparameters.nonNegative(owner, "weight decay", weightDecay);
    }

    /** Adam with PyTorch's defaults: learning rate 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Builder adam() {
        return new Builder(false, 0);
    }

    /** AdamW with PyTorch's defaults: as {@link #adam()}, with decoupled weight decay 1e-2. */
    public static Builder adamW() {
        return new Builder(true, 1e-2);
    }

    /** The same settings with another learning rate. */
    public AdamSettings withLearningRate(double newLearningRate) {
        return new AdamSettings(newLearningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay, amsgrad);
    }

    /** Collects settings in any order; {@link #build()} validates them together. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private final boolean decoupledWeightDecay;
        private boolean amsgrad;

        private Builder(boolean decoupledWeightDecay, double weightDecay) {
            this.decoupledWeightDecay = decoupledWeightDecay;
            this.weightDecay = weightDecay;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder betas(double first, double second) {
            beta1 = first;
            beta2 = second;
            return this;
        }

        public Builder eps(double value) {
            eps = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder amsgrad(boolean value) {
            amsgrad = value;
            return this;
        }

        public AdamSettings build() {
            return new AdamSettings(learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay, amsgrad);
        }
    }
}
