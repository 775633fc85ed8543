package dev.hyperkron.bilevel.influence;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Require;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.IhvpSolver;
import java.util.function.Function;

/**
 * Minimizes a smooth objective to a tight gradient norm by inexact Newton steps (Newton-CG with
 * forcing term min(0.1, sqrt ||g||) and a backtracking line search): what makes leave-one-out
 * retraining a trustworthy ground truth, since the change it measures is of order 1/n and
 * gradient descent stops far above that. Where CG meets negative curvature the Hessian is shifted
 * (Levenberg-Marquardt); where a step still gives no descent it falls back to the gradient.
 */
public final class NewtonMinimizer {
    private static final double ARMIJO = 1e-4;
    private static final int HALVINGS = 50;
    private static final double FIRST_SHIFT = 1e-4;
    private static final double LAST_SHIFT = 1e4;

    private final double tolerance;
    private final int maxSteps;
    private final int cgIterations;

    private NewtonMinimizer(double tolerance, int maxSteps, int cgIterations) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("the gradient-norm tolerance must be > 0, got " + tolerance);
        }
        this.tolerance = tolerance;
        this.maxSteps = Require.atLeast("Newton steps", maxSteps, 1);
        this.cgIterations = Require.atLeast("CG iterations per Newton step", cgIterations, 1);
    }

    /** Stops once ||grad f|| &lt;= {@code gradientNorm}; at most 200 steps of at most 500 CG iterations each. */
    public static NewtonMinimizer toGradientNorm(double gradientNorm) {
        return new NewtonMinimizer(gradientNorm, 200, 500);
    }

    /** The same minimizer with another cap on Newton steps. */
    public NewtonMinimizer maxSteps(int steps) {
        return new NewtonMinimizer(tolerance, steps, cgIterations);
    }

    /** The same minimizer with another cap on CG iterations (Hessian-vector products) per step. */
    public NewtonMinimizer cgIterations(int iterations) {
        return new NewtonMinimizer(tolerance, maxSteps, iterations);
    }

    /**
     * The end point and how it was reached.
     *
     * @param converged whether ||grad f|| reached the tolerance (else the step cap was hit or the line search stalled)
     */
    public record Result(Params theta, int steps, double gradientNorm, boolean converged) {
    }

    /** Newton steps on f from {@code start} until the gradient norm reaches the tolerance. */
    public Result minimize(Function<Params, Var> f, Params start) {
        Params theta = start.detached();
        Grad.ValueAndGrad current = Grad.valueAndGrad(f, theta);
        for (int step = 0; ; step++) {
            Params g = current.grad();
            double norm = g.norm();
            if (norm <= tolerance || step == maxSteps) {
                return new Result(theta, step, norm, norm <= tolerance);
            }
            Params d = newtonDirection(HessianOperator.ofFunction(theta, f), g, Math.min(0.1, Math.sqrt(norm)))
                    .cast(theta.dtype());
            double slope = d.dot(g);
            Params next = slope > 0 ? lineSearch(f, theta, current.value(), d, slope, norm) : null;
            if (next == null) {
                next = lineSearch(f, theta, current.value(), g, norm * norm, norm);
            }
            if (next == null) {
                return new Result(theta, step, norm, false);
            }
            theta = next;
            current = Grad.valueAndGrad(f, theta);
        }
    }

    /**
     * d solving (H + mu I) d = g by CG to the relative tolerance, with mu = 0 unless CG meets
     * negative curvature; then mu grows tenfold from {@value #FIRST_SHIFT} (Levenberg-Marquardt) until
     * it does not, so that steps in a non-convex region still descend and are not cut to nothing.
     */
    private Params newtonDirection(HessianOperator h, Params g, double relativeTolerance) {
        for (double mu = 0; ; mu = mu == 0 ? FIRST_SHIFT : mu * 10) {
            IhvpSolver.Solution s = ConjugateGradient.of(h, mu, cgIterations, relativeTolerance)
                    .fallback(ConjugateGradient.Fallback.BEST_ITERATE).solve(g);
            if (!s.report().negativeCurvature() || mu >= LAST_SHIFT) {
                return s.value();
            }
        }
    }

    /**
     * theta - t d for the largest t = 2^-k that decreases f enough (Armijo); where f's change is
     * below its rounding, a step that lowers the gradient norm is taken instead. Null if none.
     */
    private static Params lineSearch(Function<Params, Var> f, Params theta, double value, Params d, double slope,
                                     double gradientNorm) {
        double t = 1;
        for (int k = 0; k < HALVINGS; k++, t /= 2) {
            Params candidate = theta.axpy(-t, d).detached();
            double v = f.apply(candidate).item();
            if (v <= value - ARMIJO * t * slope) {
                return candidate;
            }
            if (Math.abs(v - value) <= 1e-13 * Math.max(1, Math.abs(value))
                    && Grad.grad(f, candidate).norm() < gradientNorm) {
                return candidate;
            }
        }
        return null;
    }
}
