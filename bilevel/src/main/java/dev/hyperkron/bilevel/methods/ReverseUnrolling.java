package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.GraphMemory;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.core.Rng;
import java.util.Optional;

/**
 * Iterative differentiation (ITD): the T inner steps of the outer step are recorded and
 * f(theta_T(lambda), lambda) is differentiated through them by reverse mode. Truncated
 * back-propagation records only the last K steps. The recorded steps are the run's inner
 * optimizer's own (SGD, momentum included, carried over from earlier steps as constants), taken
 * by the same {@link InnerLoop} as every other method.
 */
public final class ReverseUnrolling implements HypergradientMethod {
    private final int truncation;

    private ReverseUnrolling(int truncation) {
        if (truncation < 0) {
            throw new IllegalArgumentException("truncation must be >= 0 (0 = full back-propagation), got " + truncation);
        }
        this.truncation = truncation;
    }

    /** Back-propagation through all T inner steps. */
    public static ReverseUnrolling full() {
        return new ReverseUnrolling(0);
    }

    /** Back-propagation through the last {@code steps} inner steps only. */
    public static ReverseUnrolling truncated(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("truncated back-propagation needs at least one step, got " + steps);
        }
        return new ReverseUnrolling(steps);
    }

    @Override
    public String name() {
        return truncation == 0 ? "ITD" : "ITD(last " + truncation + ")";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        Params lambdaLeaves = lambda.asLeaves();
        int recorded = truncation == 0 ? inner.steps() : Math.min(truncation, inner.steps());
        InnerLoop.Phase phase = inner.unrolled(theta, lambdaLeaves, recorded);
        long innerDone = System.nanoTime();
        long held = GraphMemory.retainedBytes(phase.theta().vars());
        Var f = problem.outer().at(phase.theta(), lambdaLeaves);
        Params hypergradient = Grad.grad(f, lambdaLeaves);
        long done = System.nanoTime();
        return new OuterStep(phase.theta().detached().asLeaves(), hypergradient, phase.lastLoss(), f.item(),
                (innerDone - start) * 1e-9, (done - innerDone) * 1e-9, held, Optional.empty());
    }
}
