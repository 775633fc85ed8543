package dev.hyperkron.bilevel;

import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.autodiff.Params;
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
     * Curvature the inner loss adds on top of the data term, as a multiple of the identity (c for
     * a regularizer c/2 ||theta||^2); KFAC-based solvers add it to their damping.
     */
    default double regularizerCurvature(Params lambda) {
        return 0;
    }
}
