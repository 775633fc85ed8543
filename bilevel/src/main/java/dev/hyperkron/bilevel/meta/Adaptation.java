package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.methods.InnerDivergence;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;

/**
 * The inner phase of meta-learning: T steps of full-batch gradient descent on a task's proximal
 * support loss (lam/2 ||theta - phi||^2 added), from theta = phi. Every meta-gradient method and
 * the meta-test evaluation adapt through this one loop. It is not {@code methods.InnerLoop}: there
 * theta carries over between outer steps and is independent of lambda, while here theta starts at
 * phi, so unrolled MAML must differentiate through the starting point as well.
 */
public final class Adaptation {
    private final int steps;
    private final double learningRate;
    private final double lam;

    /**
     * @param steps        inner gradient steps T >= 1
     * @param learningRate the inner step size alpha > 0
     * @param lam          the proximal regularization strength lam > 0
     */
    public Adaptation(int steps, double learningRate, double lam) {
        if (steps < 1) {
            throw new IllegalArgumentException("adaptation needs at least one inner step, got " + steps);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the inner learning rate must be a finite number > 0, got " + learningRate);
        }
        if (!(lam > 0) || Double.isInfinite(lam)) {
            throw new IllegalArgumentException("the proximal regularization lam must be a finite number > 0, got " + lam);
        }
        this.steps = steps;
        this.learningRate = learningRate;
        this.lam = lam;
    }

    /** The task's inner loss g(theta, phi). */
    public ProximalObjective objective(MetaTask task) {
        return new ProximalObjective(task.support(), lam);
    }

    /** theta_T adapted from phi on the task's support set, nothing recorded (fresh leaves). */
    public Params adapt(MetaTask task, Params phi) {
        return run(task, phi.detached(), false);
    }

    /**
     * theta_T recorded as a differentiable function of {@code phiLeaves} (through the starting
     * point theta_0 = phi and the proximal term), for MAML by back-propagation through the steps.
     */
    public Params unrolled(MetaTask task, Params phiLeaves) {
        return run(task, phiLeaves, true);
    }

    private Params run(MetaTask task, Params phi, boolean record) {
        ProximalObjective g = objective(task);
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(learningRate).build());
        // recorded: theta_0 is a node of its own (phi times one), so each gradient is the partial in theta
        Params theta = record ? phi.map(p -> p.mul(1.0)) : phi.asLeaves();
        for (int t = 0; t < steps; t++) {
            Var loss = g.at(theta, phi);
            if (!Double.isFinite(loss.item())) {
                throw new InnerDivergence("the proximal support loss is " + loss.item() + " at inner step " + (t + 1)
                        + " of " + steps + "; lower the inner learning rate (" + learningRate + ")");
            }
            theta = record ? sgd.unrolledStep(theta, Grad.grad(loss, theta, Grad.Options.DEFAULT.createGraph()))
                    : sgd.step(theta, Grad.grad(loss, theta));
        }
        return theta;
    }

    /** The proximal regularization strength lam. */
    public double lam() {
        return lam;
    }
}
