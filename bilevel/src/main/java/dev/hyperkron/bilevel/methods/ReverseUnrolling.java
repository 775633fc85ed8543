package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;
import dev.hyperkron.nn.optim.DifferentiableSgd;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.List;
import java.util.Map;

/**
 * Iterative differentiation (ITD): the T inner SGD steps of the outer step are recorded and
 * f(theta_T(lambda), lambda) is differentiated through them by reverse mode. Truncated
 * back-propagation records only the last K steps. The unrolled steps use plain differentiable
 * SGD with the inner optimizer's settings and momentum restarted every outer step.
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
        SgdSettings settings = inner.sgdSettings().orElseThrow(() -> new IllegalArgumentException(
                "unrolled differentiation needs an SGD inner optimizer"));
        DifferentiableSgd sgd = new DifferentiableSgd(settings);
        int steps = inner.steps();
        int firstRecorded = truncation == 0 ? 0 : Math.max(0, steps - truncation);
        long start = System.nanoTime();
        Params lambdaLeaves = lambda.asLeaves();
        DifferentiableSgd.State state = DifferentiableSgd.State.start(theta.detached());
        double innerLoss = Double.NaN;
        for (int t = 0; t < steps; t++) {
            var objective = problem.inner(Role.INNER);
            if (t < firstRecorded) {
                Params leaves = state.params().asLeaves();
                Var loss = objective.at(leaves, lambda.detached());
                List<Var> g = Grad.grad(List.of(loss), leaves.vars(), null, false, false, true);
                try (NoGrad scope = NoGrad.enter()) {
                    state = sgd.step(new DifferentiableSgd.State(leaves.detached(), state.momentum()),
                            leaves.withVars(Grad.orZeros(g, leaves.vars())));
                }
                innerLoss = loss.item();
            } else {
                Params current = t == firstRecorded ? state.params().asLeaves() : state.params();
                if (t == firstRecorded) {
                    state = new DifferentiableSgd.State(current, state.momentum());
                }
                Var loss = objective.at(current, lambdaLeaves);
                List<Var> g = Grad.grad(List.of(loss), current.vars(), null, true, true, true);
                state = sgd.step(state, current.withVars(Grad.orZeros(g, current.vars())));
                innerLoss = loss.item();
            }
        }
        long innerDone = System.nanoTime();
        Var f = problem.outer().at(state.params(), lambdaLeaves);
        List<Var> h = Grad.grad(List.of(f), lambdaLeaves.vars(), null, false, false, true);
        long done = System.nanoTime();
        Params next = state.params().detached().asLeaves();
        long held = (long) (steps - firstRecorded) * 2 * next.numel();
        return new OuterStep(next, ParamVector.of(lambdaLeaves, h), innerLoss, f.item(),
                (innerDone - start) * 1e-9, (done - innerDone) * 1e-9, held, Map.of());
    }
}
