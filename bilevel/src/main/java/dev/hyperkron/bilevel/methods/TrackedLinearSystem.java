package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.SolveReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hypergradients from a linear-system solution that is tracked across outer steps instead of
 * solved afresh in each: v ~= H^{-1} df/dtheta is kept from one outer step to the next and
 * refined by K gradient steps on the quadratic 1/2 v^T H v - v^T df/dtheta,
 * <pre>
 *   v &lt;- v - eta (H v - df/dtheta),        dF/dlambda = df/dlambda - d/dlambda &lt;dg/dtheta, v&gt;,
 * </pre>
 * H the inner Hessian on a curvature batch (in the "+KFAC" variants the steps are preconditioned
 * by the damped inverse KFAC of the same batch, below). Since v moves little between outer steps, a few steps
 * per outer step keep it close to the solution at a fraction of a fresh solve's cost.
 *
 * <ul>
 * <li><b>SOBA</b> (Dagréou, Ablin, Vaiter, Moreau 2022, "A framework for bilevel optimization
 * that enables stochastic and global variance reduction algorithms"): one step per outer step
 * (K = 1), as the single-loop method takes one step on theta, v and lambda each; run it with one
 * inner step per outer step for the paper's single loop. Step size eta is its rho.</li>
 * <li><b>AmIGO</b> (Arbel, Mairal 2022, "Amortized implicit differentiation for stochastic
 * bilevel optimization"): K warm-started gradient steps (its AmIGO-GD variant) after T inner
 * steps.</li>
 * <li><b>+KFAC</b>: each step goes along the KFAC-preconditioned residual d = K^{-1} (H v -
 * df/dtheta), by eta times the unit step, shortened to the minimizer of the quadratic along d
 * where that comes first (one HVP, H d, which also updates the residual, so a step still costs
 * one HVP); along non-positive curvature it stops. From v = 0 the first step is thus the IKVP
 * K^{-1} df/dtheta or a shortened one; later steps correct it with the true Hessian. A fixed unit
 * step overshoots wherever KFAC underestimates curvature (measured: it diverged on logistic
 * regression, and a line search without the cap diverged on an MLP, whose Hessian is
 * indefinite). Preconditioning rather than replacing v by the
 * IKVP keeps what makes these methods work (v tracks the exact system) while KFAC removes the
 * ill-conditioning that makes plain gradient steps slow.</li>
 * </ul>
 * The tracked v is the method's state ({@link #state}), saved in checkpoints so that a resumed
 * run continues with it.
 */
public final class TrackedLinearSystem implements HypergradientMethod {
    private final String name;
    private final int steps;
    private final double eta;
    private final KfacIhvp preconditioner;
    private final double damping;
    private Params v;

    private TrackedLinearSystem(String name, int steps, double eta, KfacIhvp preconditioner, double damping) {
        this.name = name;
        this.steps = Require.atLeast("linear-system steps per outer step", steps, 1);
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException(name + ": the step size eta must be positive and finite, got " + eta);
        }
        this.eta = eta;
        this.preconditioner = preconditioner;
        this.damping = Require.finiteNonNegative("damping", damping);
    }

    /** SOBA with step size {@code rho} for v (one step per outer step). */
    public static TrackedLinearSystem soba(double rho) {
        return new TrackedLinearSystem("SOBA", 1, rho, null, 0);
    }

    /** AmIGO-GD: {@code steps} warm-started gradient steps of size {@code eta} per outer step. */
    public static TrackedLinearSystem amigo(int steps, double eta) {
        return new TrackedLinearSystem("AmIGO", steps, eta, null, 0);
    }

    /** The same method with its v steps preconditioned by the damped inverse KFAC ("SOBA+KFAC", "AmIGO+KFAC"). */
    public TrackedLinearSystem preconditionedBy(KfacIhvp kfac) {
        if (preconditioner != null) {
            throw new IllegalArgumentException(name() + " is already preconditioned");
        }
        return new TrackedLinearSystem(name + "+" + kfac.name(), steps, eta, kfac, damping);
    }

    /** The same method for the damped system (H + delta I) v = df/dtheta, as the other IHVP methods damp. */
    public TrackedLinearSystem damping(double delta) {
        return new TrackedLinearSystem(name, steps, eta, preconditioner, delta);
    }

    @Override
    public String name() {
        return name;
    }

    /** The tracked v (empty before the first step). */
    @Override
    public Params state() {
        return v == null ? Params.empty() : v;
    }

    @Override
    public void restoreState(Params state) {
        v = state.size() == 0 ? null : state.detached();
    }

    private Params hvp(InnerObjective curvature, Params theta, Params lambda, Params direction) {
        Params hv = Grad.hvp(t -> curvature.at(t, lambda), theta, direction);
        return damping == 0 ? hv : hv.axpy(damping, direction);
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        Params at = phase.theta();
        Grad.Partials f = Grad.partials(problem.outer()::at, at, lambda);
        if (v == null) {
            v = at.zerosLike();
        }
        at.requireAligned(v);
        InnerObjective curvature = problem.inner(Role.CURVATURE);
        IhvpSolver precondition = preconditioner == null ? null : preconditioner.build(at, lambda, curvature, rng);
        List<Double> residuals = new ArrayList<>();
        double rhsNorm = f.first().norm();
        Params residual = hvp(curvature, at, lambda, v).sub(f.first());
        int products = 1;
        int taken = 0;
        for (int k = 0; k < steps; k++) {
            residuals.add(residual.norm());
            if (precondition == null) {
                v = v.axpy(-eta, residual);
                taken++;
                if (k + 1 < steps) {
                    residual = hvp(curvature, at, lambda, v).sub(f.first());
                    products++;
                }
            } else {
                // Along d = P r: the unit (Richardson) step, shortened to the quadratic's minimizer along d
                // where KFAC underestimates the curvature there; no step along non-positive curvature.
                Params d = precondition.solve(residual).value();
                Params hd = hvp(curvature, at, lambda, d);
                products++;
                double curvatureAlong = d.dot(hd);
                if (!(curvatureAlong > 0)) {
                    break;
                }
                double step = eta * Math.min(1.0, residual.dot(d) / curvatureAlong);
                v = v.axpy(-step, d);
                residual = residual.axpy(-step, hd);
                taken++;
            }
        }
        Params mixed = Grad.mixed(problem.inner(Role.MIXED)::at, at, lambda, v);
        Params hypergradient = f.second().sub(mixed);
        long done = System.nanoTime();
        long vectorBytes = 3 * at.numel() * at.dtype().byteSize();
        long held = vectorBytes + (precondition == null ? 0 : precondition.storedBytes());
        SolveReport report = new SolveReport(name, taken, products, residuals, rhsNorm, false, false, "");
        return new OuterStep(at, hypergradient, phase.lastLoss(), f.value(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, held, Optional.of(report));
    }
}
