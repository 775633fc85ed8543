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

    /**
     * What the method carries from one outer step to the next (a tracked linear-system solution,
     * auxiliary inner iterates), for checkpoints; empty for the stateless methods.
     */
    default Params state() {
        return Params.empty();
    }

    /** Restores {@link #state()} from a checkpoint; a stateless method accepts only the empty state. */
    default void restoreState(Params state) {
        if (state.size() != 0) {
            throw new IllegalArgumentException(name() + " keeps no state between outer steps, but the checkpoint holds "
                    + state.names());
        }
    }
}
