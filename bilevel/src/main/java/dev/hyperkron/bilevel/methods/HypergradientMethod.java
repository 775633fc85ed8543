package dev.hyperkron.bilevel.methods;

import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.core.Rng;
import dev.hyperkron.autodiff.Params;

/**
 * A way to get dF/dlambda in one outer step: implicit differentiation with any IHVP solver,
 * or differentiation through (some of) the inner steps. Each method owns the inner phase of
 * its step, because unrolled methods must record it.
 */
public interface HypergradientMethod {

    /** Short name for tables and files, e.g. "AID-KFAC" or "ITD". */
    String name();

    /**
     * Runs the inner phase from theta (warm start) and computes the hypergradient at lambda.
     *
     * @param rng randomness for this step only (e.g. MC Fisher samples), derived from the step number
     */
    OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng);
}
