package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;

/**
 * Sees every iterate of an iterative IHVP solver (CG, MINRES, Neumann), so that one run of T
 * iterations shows what each shorter budget would have returned: accuracy-versus-cost studies
 * need no reruns.
 */
@FunctionalInterface
public interface IterateObserver {

    /** The solver's answer after {@code iteration} iterations (1-based); the vector is not modified later. */
    void onIterate(int iteration, Params q);
}
