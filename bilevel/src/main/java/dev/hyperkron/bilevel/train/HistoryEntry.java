package dev.hyperkron.bilevel.train;

import java.util.Map;

/**
 * One outer step as the history records it.
 *
 * @param step                 outer step number (1-based)
 * @param seconds              wall-clock seconds of the run so far (inner phases, hypergradients,
 *                             updates; evaluations excluded), accumulated across resumes
 * @param innerLoss            inner loss at the last inner step
 * @param outerLoss            outer loss at theta after the inner phase
 * @param innerSeconds         time of this step's inner phase
 * @param hypergradientSeconds time of this step's hypergradient
 * @param hypergradientNorm    the norm of this step's hypergradient (its scale differs between
 *                             methods, which matters for the outer step size)
 * @param solverFallback       the fallback the IHVP solver took this step (e.g. "MINRES" after CG
 *                             broke down on indefinite curvature), or "" when it took none
 * @param metrics              task metrics when evaluated at this step (empty otherwise)
 */
public record HistoryEntry(int step, double seconds, double innerLoss, double outerLoss,
                           double innerSeconds, double hypergradientSeconds, double hypergradientNorm,
                           String solverFallback, Map<String, Double> metrics) {

    public HistoryEntry {
        metrics = Map.copyOf(metrics);
    }

    /** This entry with the time fields zeroed: what two runs of the same seed must agree on. */
    public HistoryEntry withoutTimes() {
        return new HistoryEntry(step, 0, innerLoss, outerLoss, 0, 0, hypergradientNorm, solverFallback, metrics);
    }
}
