package dev.hyperkron.kfac;

import java.util.ArrayList;
import java.util.List;

/**
 * (Preconditioned) conjugate gradients on the damped system (H + delta I) q = v, from q = 0.
 * For an indefinite H, the normal-equation variant solves (H + delta I)^2 q = (H + delta I) v
 * at two operator applications per iteration. Each solve records its residual norms.
 */
public final class ConjugateGradient implements IhvpSolver {
    private final LinearOperator operator;
    private final double damping;
    private final int maxIterations;
    private final double tolerance;
    private final IhvpSolver preconditioner;
    private final boolean normalEquations;
    private Report lastReport;

    /**
     * The outcome of one solve.
     *
     * @param residuals        ||b - M q_k|| after each iteration k = 1.. (M the solved system)
     * @param converged        whether the relative residual fell to the tolerance
     * @param negativeCurvature whether a direction with p^T M p <= 0 stopped the iteration
     */
    public record Report(List<Double> residuals, double initialResidual, boolean converged, boolean negativeCurvature) {
        /** Operator applications performed (two per iteration for the normal equations). */
        public int iterations() {
            return residuals.size();
        }

        /** Final residual relative to the right-hand side (1 when no iteration ran). */
        public double relativeResidual() {
            return residuals.isEmpty() || initialResidual == 0 ? (initialResidual == 0 ? 0 : 1)
                    : residuals.get(residuals.size() - 1) / initialResidual;
        }
    }

    private ConjugateGradient(LinearOperator operator, double damping, int maxIterations, double tolerance,
                              IhvpSolver preconditioner, boolean normalEquations) {
        if (maxIterations < 0 || !(tolerance >= 0) || !(damping >= 0)) {
            throw new IllegalArgumentException("CG needs maxIterations >= 0, tolerance >= 0 and damping >= 0, got "
                    + maxIterations + ", " + tolerance + ", " + damping);
        }
        this.operator = operator;
        this.damping = damping;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.preconditioner = preconditioner;
        this.normalEquations = normalEquations;
    }

    /** CG on (H + damping I) q = v with at most {@code maxIterations} iterations and relative tolerance. */
    public static ConjugateGradient of(LinearOperator operator, double damping, int maxIterations, double tolerance) {
        return new ConjugateGradient(operator, damping, maxIterations, tolerance, null, false);
    }

    /** The same solver with a preconditioner P ~= (H + damping I)^{-1} (e.g. a KFAC inverse). */
    public ConjugateGradient preconditioned(IhvpSolver p) {
        if (normalEquations) {
            throw new IllegalStateException("a preconditioner is not supported with the normal equations");
        }
        return new ConjugateGradient(operator, damping, maxIterations, tolerance, p, false);
    }

    /** The normal-equation variant for indefinite curvature. */
    public ConjugateGradient normalEquations() {
        if (preconditioner != null) {
            throw new IllegalStateException("a preconditioner is not supported with the normal equations");
        }
        return new ConjugateGradient(operator, damping, maxIterations, tolerance, null, true);
    }

    /** The report of the most recent {@link #solve}, or null before the first. */
    public Report lastReport() {
        return lastReport;
    }

    @Override
    public ParamVector solve(ParamVector v) {
        return solve(v, null);
    }

    /** {@link #solve(ParamVector)}, reporting each iterate q_k to {@code observer} (may be null). */
    public ParamVector solve(ParamVector v, IterateObserver observer) {
        ParamVector b = normalEquations ? damped(v) : v;
        ParamVector q = ParamVector.zerosLike(b);
        ParamVector r = b;
        ParamVector z = preconditioner == null ? r : preconditioner.solve(r);
        ParamVector p = z;
        double rz = r.dot(z);
        double initial = r.norm();
        List<Double> residuals = new ArrayList<>();
        boolean converged = initial == 0;
        boolean negative = false;
        for (int k = 0; k < maxIterations && !converged; k++) {
            ParamVector mp = system(p);
            double curvature = p.dot(mp);
            if (!(curvature > 0)) {
                negative = true;
                break;
            }
            double alpha = rz / curvature;
            q = q.axpy(alpha, p);
            r = r.axpy(-alpha, mp);
            double norm = r.norm();
            residuals.add(norm);
            if (observer != null) {
                observer.onIterate(k + 1, q);
            }
            if (norm <= tolerance * initial) {
                converged = true;
                break;
            }
            z = preconditioner == null ? r : preconditioner.solve(r);
            double rzNext = r.dot(z);
            p = z.axpy(rzNext / rz, p);
            rz = rzNext;
        }
        lastReport = new Report(List.copyOf(residuals), initial, converged, negative);
        return q;
    }

    private ParamVector system(ParamVector p) {
        return normalEquations ? damped(damped(p)) : damped(p);
    }

    private ParamVector damped(ParamVector p) {
        ParamVector hp = operator.apply(p);
        return damping == 0 ? hp : hp.axpy(damping, p);
    }

    @Override
    public long storedElements() {
        return preconditioner == null ? 0 : preconditioner.storedElements();
    }
}
