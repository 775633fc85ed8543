package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.Optional;

/**
 * F2SA (Kwon, Kwon, Wright, Nowak 2023, "A Fully First-Order Method for Stochastic Bilevel
 * Optimization"): the penalty L_mu(theta, lambda) = f + mu (g - g*(lambda)), whose lambda-gradient
 * tends to dF/dlambda as mu grows (error O(1/mu)), estimated with two inner sequences and first
 * derivatives only:
 * <pre>
 *   z: T steps on g(., lambda)                 (the run's inner loop; z is the reported theta)
 *   y: T gradient steps on g(., lambda) + f(., lambda) / mu, step = the inner learning rate
 *   dF/dlambda ~= df/dlambda (y) + mu (dg/dlambda (y) - dg/dlambda (z))
 * </pre>
 * The multiplier (the paper's lambda_k, here mu so as not to clash with the outer variable)
 * grows by {@code muGrowth} per outer step from {@code mu0} up to {@code muMax}, as the paper's
 * schedule lets the bias shrink while the first iterates stay stable. The y sequence is the
 * method's state, carried between outer steps and saved in checkpoints.
 */
public final class F2sa implements HypergradientMethod {
    private final double mu0;
    private final double muGrowth;
    private final double muMax;
    private Params y;
    private int step;

    public F2sa(double mu0, double muGrowth, double muMax) {
        if (!(mu0 > 0) || !(muGrowth >= 0) || !(muMax >= mu0) || Double.isInfinite(muMax)) {
            throw new IllegalArgumentException("F2SA: need 0 < mu0 <= muMax < infinity and muGrowth >= 0, got mu0 = " + mu0
                    + ", muGrowth = " + muGrowth + ", muMax = " + muMax);
        }
        this.mu0 = mu0;
        this.muGrowth = muGrowth;
        this.muMax = muMax;
    }

    @Override
    public String name() {
        return "F2SA";
    }

    /** The multiplier of the next outer step. */
    double multiplier() {
        return Math.min(mu0 + muGrowth * step, muMax);
    }

    @Override
    public Params state() {
        return y == null ? Params.empty() : y.prefixed("y").merge(Params.single("step",
                Var.constant(Tensor.scalar(y.dtype(), step))));
    }

    @Override
    public void restoreState(Params state) {
        if (state.size() == 0) {
            y = null;
            step = 0;
            return;
        }
        y = state.child("y");
        step = (int) state.get("step").item();
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        Params z = phase.theta();
        double mu = multiplier();
        if (y == null) {
            y = theta;
        }
        z.requireAligned(y);
        Params fixed = lambda.detached();
        for (int t = 0; t < inner.steps(); t++) {
            InnerObjective g = problem.inner(Role.INNER);
            Params at = y.asLeaves();
            Var penalty = g.at(at, fixed).add(problem.outer().at(at, fixed).div(mu));
            y = y.axpy(-inner.learningRate(), Grad.grad(penalty, at));
        }
        long innerDone = System.nanoTime();
        Grad.Partials f = Grad.partials(problem.outer()::at, y, lambda);
        InnerObjective g = problem.inner(Role.MIXED);
        Params atY = Grad.grad(l -> g.at(y, l), lambda);
        Params atZ = Grad.grad(l -> g.at(z, l), lambda);
        Params hypergradient = f.second().axpy(mu, atY.sub(atZ));
        step++;
        long done = System.nanoTime();
        long held = 2 * theta.numel() * theta.dtype().byteSize();
        return new OuterStep(z, hypergradient, phase.lastLoss(), f.value(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, held, Optional.empty());
    }
}
