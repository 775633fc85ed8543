package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.core.Rng;
import java.util.Optional;

/**
 * The baseline that ignores the outer problem: inner steps at fixed lambda and a zero
 * hypergradient (for data hypercleaning: training on the noisy set with uniform weights; for
 * class reweighting: uniform class weights). Named "baseline" in code, on the command line and
 * in tables.
 */
public final class Baseline implements HypergradientMethod {

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long done = System.nanoTime();
        double outer;
        try (NoGrad scope = NoGrad.enter()) {
            outer = problem.outer().at(phase.theta(), lambda).item();
        }
        return new OuterStep(phase.theta(), lambda.zerosLike(), phase.lastLoss(), outer, (done - start) * 1e-9, 0, 0,
                Optional.empty());
    }
}
