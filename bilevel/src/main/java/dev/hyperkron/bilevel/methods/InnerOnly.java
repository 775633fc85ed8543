package dev.hyperkron.bilevel.methods;

import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;
import java.util.Map;

/**
 * The baseline that ignores the outer problem: inner steps at fixed lambda and a zero
 * hypergradient (for data hypercleaning: training on the noisy set with uniform weights).
 */
public final class InnerOnly implements HypergradientMethod {

    @Override
    public String name() {
        return "no reweighting";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long done = System.nanoTime();
        double outer = problem.outer().at(phase.theta().detached(), lambda.detached()).item();
        return new OuterStep(phase.theta(), ParamVector.zerosLike(ParamVector.of(lambda)), phase.lastLoss(), outer,
                (done - start) * 1e-9, 0, 0, Map.of());
    }
}
