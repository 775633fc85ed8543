package dev.hyperkron.kfac;

/** What is back-propagated to form KFAC's output-gradient factor G (see MATH.md section 3). */
public enum FisherType {
    /** Columns of a symmetric square root of the loss Hessian: the exact GGN's factors. */
    TYPE2,
    /** Gradients at targets sampled from the model's predictive distribution (Monte Carlo). */
    MC,
    /** Gradients at the true targets (the empirical Fisher). */
    EMPIRICAL,
    /** No backward pass: G is the identity, only the input factor A carries curvature. */
    FORWARD_ONLY
}
