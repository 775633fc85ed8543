package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.nn.optim.Optimizer;
import java.util.Objects;

/**
 * The inner phase of an outer step, the one loop every hypergradient method runs: T steps of
 * the run's inner optimizer on theta at fixed lambda, its state carried over between outer steps.
 * Implicit methods run it plainly; unrolled differentiation asks for the last K steps to be
 * recorded (the optimizer's differentiable step, with lambda as leaves), so that theta_T is a
 * differentiable function of lambda.
 */
public final class InnerLoop {
    private final BilevelProblem problem;
    private final Optimizer optimizer;
    private final int steps;

    /** T = {@code steps} steps of {@code optimizer} on the problem's inner loss. */
    public InnerLoop(BilevelProblem problem, Optimizer optimizer, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("the inner loop needs at least one step, got " + steps);
        }
        this.problem = problem;
        this.optimizer = optimizer;
        this.steps = steps;
    }

    /**
     * The result of the inner phase.
     *
     * @param theta    theta after the steps (recorded in the graph when steps were recorded)
     * @param lastLoss the inner loss at the last step
     */
    public record Phase(Params theta, double lastLoss) {
    }

    /** T steps from theta at fixed lambda, nothing recorded. */
    public Phase run(Params theta, Params lambda) {
        return run(theta, lambda, 0, null);
    }

    /**
     * T steps from theta at fixed lambda, each step's forward pass captured into {@code factors}
     * (KFAC's A from every step, G from a Fisher-type backward on the last step's batch).
     */
    public Phase run(Params theta, Params lambda, InnerStepFactors factors) {
        return run(theta, lambda, 0, Objects.requireNonNull(factors, "factors"));
    }

    /**
     * T steps from theta, the last {@code recorded} of them (all when it is T) recorded with respect
     * to {@code lambdaLeaves}: theta_T is then differentiable with respect to lambda through them.
     *
     * @throws IllegalArgumentException when the inner optimizer cannot be differentiated through
     */
    public Phase unrolled(Params theta, Params lambdaLeaves, int recorded) {
        if (!optimizer.canUnroll()) {
            throw new IllegalArgumentException("unrolled differentiation needs an inner optimizer it can differentiate "
                    + "through (SGD, with or without momentum); this run's is " + optimizer.getClass().getSimpleName());
        }
        if (recorded < 1 || recorded > steps) {
            throw new IllegalArgumentException("can record 1 to " + steps + " inner steps, not " + recorded);
        }
        return run(theta, lambdaLeaves, recorded, null);
    }

    private Phase run(Params theta, Params lambda, int recorded, InnerStepFactors factors) {
        int firstRecorded = steps - recorded;
        Params fixed = lambda.detached();
        Params current = theta;
        double last = Double.NaN;
        for (int t = 0; t < steps; t++) {
            boolean record = t >= firstRecorded;
            Params at = record && t > firstRecorded ? current : current.asLeaves();
            InnerObjective g = problem.inner(Role.INNER);
            Var loss = factors == null ? g.at(at, record ? lambda : fixed) : factors.loss(g, at, fixed);
            last = loss.item();
            if (!Double.isFinite(last)) {
                throw new InnerDivergence("the inner loss is " + last + " at inner step " + (t + 1) + " of " + steps);
            }
            if (factors != null && t == steps - 1) {
                factors.lastStepLossComputed();
            }
            if (record) {
                if (t == firstRecorded) {
                    optimizer.detachState();
                }
                current = optimizer.unrolledStep(at, Grad.grad(loss, at, Grad.Options.DEFAULT.createGraph()));
            } else {
                current = optimizer.step(at, Grad.grad(loss, at));
            }
        }
        if (recorded > 0) {
            optimizer.detachState();
        }
        return new Phase(current, last);
    }

    /** Inner steps per outer step (T). */
    public int steps() {
        return steps;
    }

    /** The inner optimizer's per-coordinate gradient scaling applied to {@code direction} (see {@link Optimizer#adaptiveScaling}). */
    public Params adaptiveScaling(Params direction) {
        return optimizer.adaptiveScaling(direction);
    }

    /** The inner optimizer's learning rate. */
    public double learningRate() {
        return optimizer.learningRate();
    }
}
