package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * MINRES (Paige and Saunders 1975) on the damped system (H + delta I) q = v from q = 0: Lanczos
 * vectors with a QR factorization by Givens rotations, so each iterate minimizes the residual
 * over the Krylov space. It solves symmetric indefinite systems (the inner Hessian away from an
 * exact minimum) at one operator application per iteration, and its residual never increases
 * (MATH.md section 6). The residual history holds the recurrence's residual norms.
 */
public final class Minres implements IhvpSolver {
    private final DampedSystem system;
    private final int maxIterations;
    private final double tolerance;

    private Minres(LinearOperator operator, double damping, int maxIterations, double tolerance) {
        if (maxIterations < 1 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("MINRES needs maxIterations >= 1 and tolerance >= 0, got " + maxIterations
                    + " and " + tolerance);
        }
        this.system = new DampedSystem(operator, damping);
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /** MINRES on (H + damping I) q = v, at most {@code maxIterations} iterations, stopping at the relative tolerance. */
    public static Minres of(LinearOperator operator, double damping, int maxIterations, double tolerance) {
        return new Minres(operator, damping, maxIterations, tolerance);
    }

    @Override
    public Solution solve(Params v) {
        return solve(v, null);
    }

    /** {@link #solve(Params)}, reporting each iterate q_k to {@code observer} (may be null). */
    public Solution solve(Params v, IterateObserver observer) {
        system.requireRightHandSide("MINRES", v);
        double beta1 = v.norm();
        Params q = v.zerosLike();
        List<Double> residuals = new ArrayList<>();
        if (beta1 == 0) {
            return new Solution(q, new SolveReport("MINRES", 0, 0, residuals, 0, true, false, ""));
        }
        Params r1 = v;
        Params r2 = v;
        Params y = v;
        Params w = q;
        Params w2 = q;
        double beta = beta1;
        double oldBeta = 0;
        double dbar = 0;
        double epsilon = 0;
        double phibar = beta1;
        double cs = -1;
        double sn = 0;
        boolean converged = false;
        boolean negative = false;
        int k = 0;
        while (k < maxIterations && !converged) {
            k++;
            Params lanczos = y.scale(1 / beta);
            y = system.apply(lanczos);
            double curvature = lanczos.dot(y);
            negative |= !(curvature > 0);
            if (k >= 2) {
                y = y.axpy(-beta / oldBeta, r1);
            }
            y = y.axpy(-curvature / beta, r2);
            r1 = r2;
            r2 = y;
            oldBeta = beta;
            beta = y.norm();
            // Apply the previous rotation, then the one that annihilates beta.
            double oldEpsilon = epsilon;
            double delta = cs * dbar + sn * curvature;
            double gbar = sn * dbar - cs * curvature;
            epsilon = sn * beta;
            dbar = -cs * beta;
            double gamma = Math.max(Math.hypot(gbar, beta), Double.MIN_NORMAL);
            cs = gbar / gamma;
            sn = beta / gamma;
            double phi = cs * phibar;
            phibar = sn * phibar;
            Params w1 = w2;
            w2 = w;
            w = lanczos.axpy(-oldEpsilon, w1).axpy(-delta, w2).scale(1 / gamma);
            q = q.axpy(phi, w);
            double residual = Math.abs(phibar);
            residuals.add(residual);
            if (observer != null) {
                observer.onIterate(k, q);
            }
            converged = residual <= tolerance * beta1 || beta == 0;
        }
        return new Solution(q, new SolveReport("MINRES", k, k, residuals, beta1, converged, negative, ""));
    }

    @Override
    public long storedBytes() {
        return system.storedBytes(7); // q, r1, r2, y, w, w1, w2
    }
}
