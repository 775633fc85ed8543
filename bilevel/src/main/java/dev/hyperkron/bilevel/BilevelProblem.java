package dev.hyperkron.bilevel;

import dev.hyperkron.core.Rng;
import dev.hyperkron.autodiff.Params;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * min over lambda of f(theta*(lambda), lambda) subject to theta*(lambda) = argmin over theta of
 * g(theta, lambda): the initial variables, the losses on batches drawn per {@link Role}, the
 * projection of lambda onto its feasible set, and the task's metrics.
 */
public interface BilevelProblem {

    /** The inner parameters theta at the start of a run. */
    Params initialInner(Rng rng);

    /** The outer variables lambda at the start of a run. */
    Params initialOuter();

    /** The inner loss on a freshly drawn batch of the given role. */
    InnerObjective inner(Role role);

    /** The outer loss on a freshly drawn batch. */
    Objective outer();

    /** Lambda moved onto its feasible set after an outer step (identity by default). */
    default Params project(Params lambda) {
        return lambda;
    }

    /**
     * The fraction of lambda that its projection holds at a bound, for a problem whose bounds only
     * keep lambda feasible (class weights at least 0, say): most of lambda at a bound then means
     * outer steps too large for the method's hypergradient scale, and the trainer warns. Empty,
     * the default, where sitting at a bound is the task's answer (hypercleaning's 0/1 weights).
     */
    default OptionalDouble pinnedFraction(Params lambda) {
        return OptionalDouble.empty();
    }

    /** The task's metrics at (theta, lambda), e.g. test loss and accuracy; may be expensive. */
    Map<String, Double> metrics(Params theta, Params lambda);

    /**
     * The state of the batch samplers, for checkpoints (one long[] per sampler). By default none:
     * right for full-batch problems; a problem that draws batches returns its samplers' states
     * (see {@code tasks.RoleSamplers}) so that a resumed run draws the same batches.
     */
    default List<long[]> samplerState() {
        return List.of();
    }

    /**
     * Restores {@link #samplerState()}. By default accepts only the empty state that the default
     * {@code samplerState()} saves.
     */
    default void restoreSamplerState(List<long[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no batch samplers, but the checkpoint"
                    + " holds " + state.size() + " sampler states; override samplerState() and restoreSamplerState()"
                    + " in a problem that draws batches");
        }
    }
}
