package dev.hyperkron.bilevel.methods;

import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.autodiff.Params;
import java.util.Optional;

/** Builds an IHVP solver for the inner curvature at (theta, lambda) on one curvature batch. */
public interface IhvpMethod {

    /** Short name, e.g. "KFAC" or "CG(10)". */
    String name();

    /** A solver for (d^2 g / d theta^2)(theta, lambda) on the given batch, lambda held fixed. */
    IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng);

    /**
     * For a method that builds its solver from curvature gathered during the inner phase (KFAC with
     * {@link KfacIhvp#factorsFromInnerSteps()}): a capture for the inner phase that starts at theta,
     * to be passed to {@link InnerLoop#run(Params, Params, InnerStepFactors)}. Empty, the default,
     * for a method that builds on a curvature batch of its own.
     */
    default Optional<InnerStepFactors> innerStepCapture(Params theta, Rng rng) {
        return Optional.empty();
    }
}
