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

    /**
     * Damping below which a factored inverse is barely damped: directions its factors do not see
     * are scaled by up to 1 / damping (a damping of 1e-12 gave hypergradients of norm ~1e11).
     */
    double BARELY_DAMPED = 1e-6;

    @Override
    default Solution solve(Params v) {
        SolveReport report = SolveReport.closedForm(name());
        for (String warning : warnings()) {
            report = report.withWarning(warning);
        }
        return new Solution(apply(v), report);
    }

    /** What every solve should report with its answer; none by default. */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /** The warning of a factored inverse whose damping is below {@link #BARELY_DAMPED}, if it is. */
    static java.util.List<String> barelyDamped(String name, double damping) {
        return damping >= BARELY_DAMPED ? java.util.List.of() : java.util.List.of(name + " is barely damped (damping "
                + damping + " < " + BARELY_DAMPED + "): directions its factors do not see are scaled by up to 1/damping;"
                + " raise the damping or the inner weight decay");
    }

    @Override
    default boolean isSymmetric() {
        return true;
    }

    @Override
    long storedBytes();
}
