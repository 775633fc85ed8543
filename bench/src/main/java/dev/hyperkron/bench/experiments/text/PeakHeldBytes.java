package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.core.Rng;

/**
 * A hypergradient method that remembers the most memory any of its outer steps held for the
 * hypergradient ({@link OuterStep#heldBytes}: curvature factors and inverses, solver vectors,
 * graphs retained for double backward, all measured), which the training history does not keep.
 */
final class PeakHeldBytes implements HypergradientMethod {
    private final HypergradientMethod method;
    private long peak;

    PeakHeldBytes(HypergradientMethod method) {
        this.method = method;
    }

    /** The largest heldBytes of the steps run so far. */
    long peak() {
        return peak;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        OuterStep step = method.run(problem, theta, lambda, inner, rng);
        peak = Math.max(peak, step.heldBytes());
        return step;
    }
}
