package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.GraphMemory;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.optim.SgdSettings;
import dev.hyperkron.nn.optim.SgdUpdate;
import java.util.Optional;

/**
 * One-step unrolling: after the inner phase, one more plain SGD step theta' = theta - eta dg/dtheta
 * (the shared {@link SgdUpdate}, eta the inner learning rate) is taken from the current theta and
 * f(theta'(lambda), lambda) is differentiated through it. The second-order variant keeps
 * -eta d^2g/dlambda dtheta df/dtheta'; the first-order variant drops it and keeps only the direct
 * term df/dlambda (zero when f does not depend on lambda).
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
        Params grads = secondOrder ? Grad.grad(g, thetaLeaves, Grad.Options.DEFAULT.createGraph())
                : Grad.grad(g, thetaLeaves);
        SgdUpdate sgd = new SgdUpdate(SgdSettings.builder().learningRate(inner.learningRate()).build());
        Params stepped = sgd.step(thetaLeaves, grads);
        long held = GraphMemory.retainedBytes(stepped.vars());
        Var f = problem.outer().at(secondOrder ? stepped : stepped.detached(), lambdaLeaves);
        Params hypergradient = Grad.grad(f, lambdaLeaves);
        long done = System.nanoTime();
        return new OuterStep(phase.theta(), hypergradient, phase.lastLoss(), f.item(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, held, Optional.empty());
    }
}
