package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.kfac.FactorCapture;
import dev.hyperkron.kfac.LossBatch;
import java.util.Optional;

/**
 * The inner loss g on one batch. Besides its value it may describe itself as a model loss
 * (model, inputs, targets, fixed per-example weights) plus an L2 term of uniform curvature:
 * the form Kronecker-factored curvature (KFAC, EKFAC, GGN) needs.
 */
public interface InnerObjective extends Objective {

    /** The data term as a model loss at fixed lambda, or empty if g has no such form. */
    default Optional<LossBatch> asLossBatch(Params lambda) {
        return Optional.empty();
    }

    /**
     * The loss {@link #at} with its model's forward pass run by {@code capture}, which adds the layer
     * inputs to KFAC's factors and keeps the pass for a backward of its own (KFAC factors gathered
     * during the inner steps). Only an objective that is a model loss can do this.
     *
     * @throws IllegalArgumentException when this objective is not a model loss (the default)
     */
    default Var capturedAt(Params theta, Params lambda, FactorCapture capture) {
        throw new IllegalArgumentException("KFAC factors from the inner steps need the inner loss as a model loss run "
                + "with layer capture: " + getClass().getSimpleName() + " does not override capturedAt; use factors "
                + "of their own (the default)");
    }

    /**
     * Curvature the inner loss adds on top of the data term, as a multiple of the identity (c for
     * a regularizer c/2 ||theta||^2); KFAC-based solvers add it to their damping.
     */
    default double regularizerCurvature(Params lambda) {
        return 0;
    }
}
