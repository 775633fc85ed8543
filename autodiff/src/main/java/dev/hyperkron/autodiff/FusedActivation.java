package dev.hyperkron.autodiff;

import dev.hyperkron.core.kernels.UnaryOp;

/**
 * The activations a linear layer can apply inside its own op ({@link Var#linear}): those whose
 * derivative is a function of their output, so the fused op keeps only its output and its
 * backward needs nothing it did not keep. GELU's derivative needs its input; a layer followed by
 * GELU fuses only its bias ({@link #IDENTITY}) and applies {@link Var#gelu} after.
 */
public enum FusedActivation {
    IDENTITY(null),
    /** max(z, 0); its derivative, 1 where the output is positive, is constant almost everywhere. */
    RELU(UnaryOp.RELU),
    /** tanh(z), with derivative 1 - y^2. */
    TANH(UnaryOp.TANH),
    /** 1 / (1 + e^-z), with derivative y (1 - y). */
    SIGMOID(UnaryOp.SIGMOID);

    private final UnaryOp op;

    FusedActivation(UnaryOp op) {
        this.op = op;
    }

    /** The elementwise op applied in place to the layer's output, or null for the identity. */
    UnaryOp op() {
        return op;
    }

    /** The activation as its own recorded op, for callers that need the pre-activation as a Var. */
    public Var apply(Var z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> z.relu();
            case TANH -> z.tanh();
            case SIGMOID -> z.sigmoid();
        };
    }

    /**
     * The gradient with respect to the pre-activation from the gradient g with respect to the
     * output y: recorded ops of g and y, so that differentiating a backward pass again is exact.
     */
    Var backward(Var g, Var y) {
        return switch (this) {
            case IDENTITY -> g;
            case RELU -> ElementwiseOps.whereOutputPositive(g, y.value());
            case TANH -> g.mul(y.square().neg().add(1.0));
            case SIGMOID -> g.mul(y).mul(y.neg().add(1.0));
        };
    }
}
