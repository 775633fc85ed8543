package dev.hyperkron.nn.optim;

/**
 * The hyperparameters of stochastic gradient descent, with PyTorch's meaning and defaults
 * ({@code torch.optim.SGD}), validated once here for both {@link Sgd} and
 * {@link SgdUpdate}.
 *
 * @param learningRate step size, finite and >= 0
 * @param momentum     momentum factor, finite and >= 0 (0 turns momentum off)
 * @param dampening    fraction in [0, 1] of the gradient held back from the momentum buffer
 * @param nesterov     Nesterov momentum; needs momentum > 0 and dampening 0
 * @param weightDecay  L2 penalty coefficient added to the gradient, finite and >= 0
 */
public record SgdSettings(double learningRate, double momentum, double dampening, boolean nesterov,
                          double weightDecay) {
    private static final String OWNER = "SGD";

    public SgdSettings {
        Hyperparameters.nonNegative(OWNER, "learning rate", learningRate);
        Hyperparameters.nonNegative(OWNER, "momentum", momentum);
        Hyperparameters.fraction(OWNER, "dampening", dampening);
        Hyperparameters.nonNegative(OWNER, "weight decay", weightDecay);
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new IllegalArgumentException(OWNER + ": Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }
    }

    /** PyTorch's defaults: learning rate 1e-3, no momentum, no weight decay. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same settings with another learning rate. */
    public SgdSettings withLearningRate(double newLearningRate) {
        return new SgdSettings(newLearningRate, momentum, dampening, nesterov, weightDecay);
    }

    /** Collects settings in any order; {@link #build()} validates them together. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder() {
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        public Builder dampening(double value) {
            dampening = value;
            return this;
        }

        public Builder nesterov(boolean value) {
            nesterov = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public SgdSettings build() {
            return new SgdSettings(learningRate, momentum, dampening, nesterov, weightDecay);
        }
    }
}
