package dev.hyperkron.bilevel.methods;

import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;
import java.util.Map;

/**
 * What one outer step's inner phase and hypergradient produced, with its costs.
 *
 * @param theta                 theta after the inner phase (the warm start of the next step)
 * @param hypergradient         dF/dlambda, aligned with lambda
 * @param innerLoss             the inner loss at the last inner step
 * @param outerLoss             the outer loss at theta (on the OUTER batch)
 * @param innerSeconds          wall-clock time of the inner phase
 * @param hypergradientSeconds  wall-clock time of the hypergradient
 * @param heldElements          floating-point values the method held to compute it (factors,
 *                              solver vectors, unrolled iterates), a proxy for its extra memory
 * @param diagnostics           method-specific numbers (e.g. CG's final relative residual)
 */
public record OuterStep(Params theta, ParamVector hypergradient, double innerLoss, double outerLoss,
                        double innerSeconds, double hypergradientSeconds, long heldElements,
                        Map<String, Double> diagnostics) {
}
