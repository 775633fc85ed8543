package dev.hyperkron.bilevel.train;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.nn.Params;
import dev.hyperkron.nn.optim.Optimizer;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.List;
import java.util.Optional;

/** The trainer's inner phase: T steps of a stateful optimizer whose state carries over between outer steps. */
final class OptimizerInnerLoop implements InnerLoop {
    private final BilevelProblem problem;
    private final Optimizer optimizer;
    private final OptimizerSpec spec;
    private final int steps;

    OptimizerInnerLoop(BilevelProblem problem, OptimizerSpec spec, Optimizer optimizer, int steps) {
        this.problem = problem;
        this.spec = spec;
        this.optimizer = optimizer;
        this.steps = steps;
    }

    @Override
    public Phase run(Params theta, Params lambda) {
        Params fixed = lambda.detached();
        Params current = theta;
        double last = Double.NaN;
        for (int t = 0; t < steps; t++) {
            Params leaves = current.asLeaves();
            Var loss = problem.inner(Role.INNER).at(leaves, fixed);
            last = loss.item();
            if (!Double.isFinite(last)) {
                throw new InnerDivergence("the inner loss is " + last + " at inner step " + (t + 1) + " of " + steps);
            }
            List<Var> grads = Grad.grad(List.of(loss), leaves.vars(), null, false, false, true);
            current = optimizer.step(leaves, leaves.withVars(Grad.orZeros(grads, leaves.vars())));
        }
        return new Phase(current, last);
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public double learningRate() {
        return optimizer.learningRate();
    }

    @Override
    public Optional<SgdSettings> sgdSettings() {
        return spec.sgdSettings();
    }
}
