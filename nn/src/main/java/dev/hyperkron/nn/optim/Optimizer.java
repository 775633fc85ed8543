package dev.hyperkron.nn.optim;

import dev.hyperkron.autodiff.Params;

/**
 * An update rule that turns parameters and their gradients into new parameters, carrying running
 * statistics (momentum, moment estimates) from one step to the next. It works on {@link Params}
 * so that it fits the functional models: the old parameters stay valid, untouched, for any graph
 * that still refers to them.
 *
 * <p>Implementations own their running statistics and update them in place (they are large and
 * change every step), which is why they are mutable objects rather than pure functions; what
 * must outlive a step, for checkpoints and exact resumption, is taken out explicitly with
 * {@link #state()} as an independent snapshot. Instances are not thread-safe.
 */
public interface Optimizer {

    /**
     * One update. {@code grads} must hold exactly the names of {@code params}, each with the
     * parameter's shape and dtype. Returns new Params, in the order of {@code params}, of fresh
     * leaves holding new tensors; the tensors of both arguments are only read.
     *
     * @throws IllegalArgumentException naming the parameter when the gradients do not match
     */
    Params step(Params params, Params grads);

    /**
     * One update recorded in the graph, for unrolled differentiation: the new parameters stay
     * connected to {@code params} and {@code grads}, and the running statistics carried to the
     * next step are the recorded ones. Only optimizers whose {@link #canUnroll} is true have one.
     *
     * @throws UnsupportedOperationException naming the optimizer when it cannot be unrolled
     */
    default Params unrolledStep(Params params, Params grads) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be differentiated through; "
                + "unrolled differentiation needs an SGD inner optimizer");
    }

    /**
     * Cuts the running statistics from any recorded graph, keeping their values: called where an
     * unrolled segment starts and ends, so that a segment never reaches into an earlier one's
     * (freed) graph and the graph is not kept alive by the optimizer.
     */
    default void detachState() {
    }

    /** Whether {@link #unrolledStep} is available. */
    default boolean canUnroll() {
        return false;
    }

    /**
     * The per-coordinate scaling this optimizer applies to a gradient, besides its learning rate
     * and momentum, applied to {@code direction}: the identity for SGD, the division by
     * sqrt(v-hat) + eps of the latest step for Adam. An identity-curvature hypergradient (SAMA)
     * adapts its inverse Hessian by it, as the inner steps precondition theta's gradient.
     * Parameters the optimizer has not stepped yet are left as they are.
     */
    default Params adaptiveScaling(Params direction) {
        return direction;
    }

    /** The learning rate the next step uses. */
    double learningRate();

    /** Changes the learning rate from the next step on (for schedules); must be finite and >= 0. */
    void setLearningRate(double learningRate);

    /**
     * A snapshot of everything the next step depends on besides its arguments: the running
     * statistics as named tensors and the step counts and hyperparameters as named scalars. Later
     * steps do not change the snapshot.
     */
    OptimizerState state();

    /**
     * Replaces the running statistics and hyperparameters (the learning rate included, as
     * PyTorch's {@code load_state_dict} does) by those of a snapshot taken from an optimizer of
     * the same kind, so that the following steps repeat bit for bit what the original would
     * have done. The snapshot is copied, never modified.
     *
     * @throws IllegalArgumentException when the snapshot is of another kind or incomplete
     */
    void restore(OptimizerState state);
}
