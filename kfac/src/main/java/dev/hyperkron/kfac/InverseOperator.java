package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;

/**
 * An inverse known in closed form (a KFAC or EKFAC inverse, an exact dense inverse): both a
 * linear operator, which can be composed, materialized and checked like any other, and an IHVP
 * solver whose solve is one application.
 */
public interface InverseOperator extends LinearOperator, IhvpSolver {

    /** Short name for reports, e.g. "KFAC inverse". */
    String name();

    @Override
    default Solution solve(Params v) {
        return new Solution(apply(v), SolveReport.closedForm(name()));
    }

    @Override
    default boolean isSymmetric() {
        return true;
    }

    @Override
    long storedBytes();
}
