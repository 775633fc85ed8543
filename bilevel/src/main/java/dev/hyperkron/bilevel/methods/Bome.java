package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import java.util.Optional;

/**
 * BOME (Liu, Ye, Wright, Stone, Liu 2022, "BOME! Bilevel Optimization Made Easy: A Simple
 * First-Order Approach"): a first-order method on the value-function reformulation
 * min f(theta, lambda) s.t. q(theta, lambda) = g(theta, lambda) - g*(lambda) &lt;= 0. Per outer step,
 * T inner steps from the current theta give theta_T and the estimate g*(lambda) ~= g(theta_T, lambda);
 * then, with grad q = (dg/dtheta (theta), dg/dlambda (theta) - dg/dlambda (theta_T)) and
 * <pre>
 *   nu = max((eta ||grad q||^2 - &lt;grad f, grad q&gt;) / ||grad q||^2, 0),
 * </pre>
 * theta and lambda both move along -(grad f + nu grad q): theta by the inner learning rate (the
 * paper's xi), lambda through the run's outer optimizer, to which the lambda part is returned as
 * the hypergradient. No second derivatives and no linear solve: the control-barrier term nu
 * grad q pulls theta toward the inner optimum while f decreases. {@code eta} is the paper's eta
 * (its phi = eta ||grad q||^2).
 */
public final class Bome implements HypergradientMethod {
    private final double eta;

    public Bome(double eta) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("BOME: eta must be positive and finite, got " + eta);
        }
        this.eta = eta;
    }

    @Override
    public String name() {
        return "BOME";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        Grad.Partials f = Grad.partials(problem.outer()::at, theta, lambda);
        InnerObjective g = problem.inner(Role.MIXED);
        Grad.Partials atTheta = Grad.partials(g::at, theta, lambda);
        Params valueGradient = Grad.grad(l -> g.at(phase.theta(), l), lambda);
        Params qTheta = atTheta.first();
        Params qLambda = atTheta.second().sub(valueGradient);
        double qNormSquared = qTheta.dot(qTheta) + qLambda.dot(qLambda);
        double nu = qNormSquared == 0 ? 0
                : Math.max((eta * qNormSquared - f.first().dot(qTheta) - f.second().dot(qLambda)) / qNormSquared, 0);
        Params thetaDirection = f.first().axpy(nu, qTheta);
        Params next = theta.axpy(-inner.learningRate(), thetaDirection);
        Params hypergradient = f.second().axpy(nu, qLambda);
        long done = System.nanoTime();
        long held = 4 * theta.numel() * theta.dtype().byteSize();
        return new OuterStep(next, hypergradient, phase.lastLoss(), f.value(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, held, Optional.empty());
    }
}
