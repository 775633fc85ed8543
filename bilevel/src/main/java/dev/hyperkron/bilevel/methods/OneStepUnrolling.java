package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One-step unrolling: after the inner phase, one more SGD step theta' = theta - eta dg/dtheta is
 * taken from the current theta and f(theta'(lambda), lambda) is differentiated through it.
 * The second-order variant keeps -eta d^2g/dlambda dtheta df/dtheta'; the first-order variant
 * drops it and keeps only the direct term df/dlambda (zero when f does not depend on lambda).
 */
public final class OneStepUnrolling implements HypergradientMethod {
    private final boolean secondOrder;

    private OneStepUnrolling(boolean secondOrder) {
        this.secondOrder = secondOrder;
    }

    public static OneStepUnrolling secondOrder() {
        return new OneStepUnrolling(true);
    }

    public static OneStepUnrolling firstOrder() {
        return new OneStepUnrolling(false);
    }

    @Override
    public String name() {
        return secondOrder ? "one-step" : "one-step (first order)";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        Params thetaLeaves = phase.theta().asLeaves();
        Params lambdaLeaves = lambda.asLeaves();
        Var g = problem.inner(Role.MIXED).at(thetaLeaves, lambdaLeaves);
        List<Var> grads = Grad.grad(List.of(g), thetaLeaves.vars(), null, secondOrder, secondOrder, true);
        double eta = inner.learningRate();
        List<Var> stepped = new ArrayList<>();
        List<Var> ps = thetaLeaves.vars();
        for (int i = 0; i < ps.size(); i++) {
            Var gi = grads.get(i);
            Var next = gi == null ? ps.get(i) : ps.get(i).sub(gi.mul(eta));
            stepped.add(secondOrder ? next : next.detach());
        }
        Var f = problem.outer().at(thetaLeaves.withVars(stepped), lambdaLeaves);
        List<Var> h = Grad.grad(List.of(f), lambdaLeaves.vars(), null, false, false, true);
        long done = System.nanoTime();
        return new OuterStep(phase.theta(), ParamVector.of(lambdaLeaves, h), phase.lastLoss(), f.item(),
                (innerDone - start) * 1e-9, (done - innerDone) * 1e-9, 2L * thetaLeaves.numel(), Map.of());
    }
}
