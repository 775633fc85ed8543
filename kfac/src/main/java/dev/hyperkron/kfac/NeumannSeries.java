package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * The truncated Neumann series H^{-1} v ~= alpha sum_{k=0..K} (I - alpha H)^k v on the damped
 * curvature, valid when ||I - alpha H|| &lt; 1. K = 0 is the identity surrogate q = alpha v, which
 * never touches H.
 *
 * <p>The k-th term (I - alpha A)^k v (A = H + delta I) is also the residual v - A q of the answer
 * with one term fewer, so the report's residuals come free: entry k is the residual of the answer
 * with k - 1 terms beyond the first (the residual of the final answer would cost one more
 * product). A series whose terms grow past a thousand times the right-hand side diverges (alpha
 * too large for the curvature, or indefinite curvature): it stops, returns the answer with the
 * smallest residual seen (possibly zero), reports that it did not converge and names that
 * fallback, instead of returning NaN or infinity.
 */
public final class NeumannSeries implements IhvpSolver {
    /** Terms larger than this multiple of ||v|| mean that the series diverges. */
    private static final double DIVERGENCE = 1e3;

    private final LinearOperator operator;
    private final double damping;
    private final DampedSystem system;
    private final double alpha;
    private final int terms;
    private final double tolerance;

    private NeumannSeries(LinearOperator operator, double damping, double alpha, int terms, double tolerance) {
        if (!(alpha > 0) || Double.isInfinite(alpha) || terms < 0 || !(damping >= 0) || Double.isInfinite(damping)
                || !(tolerance >= 0)) {
            throw new IllegalArgumentException("Neumann series needs a finite alpha > 0, K >= 0, finite damping >= 0 "
                    + "and tolerance >= 0, got alpha=" + alpha + ", K=" + terms + ", damping=" + damping
                    + ", tolerance=" + tolerance);
        }
        if (terms > 0 && operator == null) {
            throw new IllegalArgumentException("a Neumann series with K > 0 terms needs a curvature operator");
        }
        this.operator = operator;
        this.damping = damping;
        this.system = operator == null ? null : new DampedSystem(operator, damping);
        this.alpha = alpha;
        this.terms = terms;
        this.tolerance = tolerance;
    }

    /** K terms beyond the first, step alpha, on H + damping I. */
    public static NeumannSeries of(LinearOperator operator, double damping, double alpha, int terms) {
        return new NeumannSeries(operator, damping, alpha, terms, 0);
    }

    /** The identity surrogate q = alpha v. */
    public static NeumannSeries identity(double alpha) {
        return new NeumannSeries(null, 0, alpha, 0, 0);
    }

    /** The same series stopping early once a term (the residual) falls to {@code tol} times ||v||. */
    public NeumannSeries tolerance(double tol) {
        return new NeumannSeries(operator, damping, alpha, terms, tol);
    }

    public int terms() {
        return terms;
    }

    @Override
    public Solution solve(Params v) {
        return solve(v, null);
    }

    /** {@link #solve(Params)}, reporting the answer with k terms, k = 1..K, to {@code observer} (may be null). */
    public Solution solve(Params v, IterateObserver observer) {
        if (system != null) {
            system.requireRightHandSide("Neumann series", v);
        }
        double initial = v.norm();
        Params term = v;
        Params sum = v;
        Params best = v.zerosLike(); // q = 0, residual ||v||
        double bestResidual = initial;
        List<Double> residuals = new ArrayList<>();
        boolean converged = initial == 0;
        boolean diverged = false;
        for (int k = 1; k <= terms && !converged; k++) {
            term = term.axpy(-alpha, system.apply(term)); // (I - alpha A)^k v: the residual of alpha * sum so far
            double residual = term.norm();
            residuals.add(residual);
            if (!(residual <= DIVERGENCE * initial)) {
                diverged = true;
                break;
            }
            if (residual < bestResidual) {
                bestResidual = residual;
                best = sum;
            }
            sum = sum.add(term);
            if (observer != null) {
                observer.onIterate(k, sum.scale(alpha));
            }
            converged = residual <= tolerance * initial;
        }
        SolveReport report = new SolveReport("Neumann", residuals.size(), residuals.size(), residuals, initial,
                converged, false, diverged ? "best answer before divergence" : "");
        return new Solution((diverged ? best : sum).scale(alpha), report);
    }

    @Override
    public long storedBytes() {
        return system == null ? 0 : system.storedBytes(3); // term, running sum, best answer
    }
}
