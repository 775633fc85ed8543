package dev.hyperkron.bilevel.methods;

import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.autodiff.Params;

/** Builds an IHVP solver for the inner curvature at (theta, lambda) on one curvature batch. */
public interface IhvpMethod {

    /** Short name, e.g. "KFAC" or "CG(10)". */
    String name();

    /** A solver for (d^2 g / d theta^2)(theta, lambda) on the given batch, lambda held fixed. */
    IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng);
}
