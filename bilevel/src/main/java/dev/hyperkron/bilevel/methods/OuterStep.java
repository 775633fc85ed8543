package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.kfac.SolveReport;
import java.util.Optional;

/**
 * What one outer step's inner phase and hypergradient produced, with its costs.
 *
 * @param theta                 theta after the inner phase (the warm start of the next step)
 * @param hypergradient         dF/dlambda, aligned with lambda
 * @param innerLoss             the inner loss at the last inner step
 * @param outerLoss             the outer loss at theta (on the OUTER batch)
 * @param innerSeconds          wall-clock time of the inner phase
 * @param hypergradientSeconds  wall-clock time of the hypergradient
 * @param heldBytes             memory the method held to compute the hypergradient beyond the
 *                              model: curvature factors and inverses, solver vectors, retained
 *                              graphs of double backward or unrolled steps (measured)
 * @param solve                 the IHVP solve's report, for methods that solve one
 */
public record OuterStep(Params theta, Params hypergradient, double innerLoss, double outerLoss,
                        double innerSeconds, double hypergradientSeconds, long heldBytes,
                        Optional<SolveReport> solve) {
}
