package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * (Preconditioned) conjugate gradients on the damped system (H + delta I) q = v, from q = 0.
 *
 * <p>CG needs positive definite curvature. The inner Hessian of a non-convex problem at an
 * approximate minimum often is not: CG then meets a direction with p^T (H + delta I) p &lt;= 0 and
 * its iterates stop meaning anything. This solver detects that and by default falls back to
 * {@link Minres} with the same budget; the report records the negative curvature and the fallback
 * (MATH.md section 6). It treats a last residual larger than ||v|| the same way: an answer worse
 * than q = 0, which on the inner Hessian of a network means indefinite curvature that the search
 * directions happened not to expose. Without a fallback it then returns the iterate with the
 * smallest residual it saw, the zero vector included: never an answer worse than q = 0. The normal-equation variant solves (H + delta I)^2 q = (H + delta I) v instead, at
 * two operator applications per iteration, which is positive semi-definite whatever H is.
 */
public final class ConjugateGradient implements IhvpSolver {

    /** Which system CG iterates on. */
    public enum Variant {
        /** (H + delta I) q = v. */
        STANDARD,
        /** (H + delta I)^2 q = (H + delta I) v, for indefinite curvature; no preconditioner. */
        NORMAL_EQUATIONS
    }

    /** What CG does when it breaks down: negative curvature met, or a last residual above ||v||. */
    public enum Fallback {
        /** Solve again with MINRES, with the same iteration budget (the default). */
        MINRES,
        /** Solve again with CG on the normal equations, with the same iteration budget. */
        NORMAL_EQUATIONS,
        /** Stop and return the best iterate so far. */
        BEST_ITERATE
    }

    private final DampedSystem system;
    private final int maxIterations;
    private final double tolerance;
    private final IhvpSolver preconditioner;
    private final Variant variant;
    private final Fallback onNegative;

    private ConjugateGradient(LinearOperator operator, double damping, int maxIterations, double tolerance,
                              IhvpSolver preconditioner, Variant variant, Fallback onNegative) {
        if (maxIterations < 1 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("CG needs maxIterations >= 1 and tolerance >= 0, got " + maxIterations + " and "
                    + tolerance);
        }
        if (preconditioner != null && variant == Variant.NORMAL_EQUATIONS) {
            throw new IllegalArgumentException("a preconditioner is not supported with the normal equations");
        }
        this.system = new DampedSystem(operator, damping);
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.preconditioner = preconditioner;
        this.variant = variant;
        this.onNegative = onNegative;
    }

    /**
     * CG on (H + damping I) q = v with at most {@code maxIterations} iterations, stopping once the
     * residual falls to {@code tolerance} times ||v||; falls back to MINRES on negative curvature.
     */
    public static ConjugateGradient of(LinearOperator operator, double damping, int maxIterations, double tolerance) {
        return new ConjugateGradient(operator, damping, maxIterations, tolerance, null, Variant.STANDARD,
                Fallback.MINRES);
    }

    /** The same solver with a preconditioner P ~= (H + damping I)^{-1} (e.g. a KFAC inverse). */
    public ConjugateGradient preconditioned(IhvpSolver p) {
        return with(p, variant, onNegative);
    }

    /** The same solver on another system. */
    public ConjugateGradient variant(Variant v) {
        return with(preconditioner, v, onNegative);
    }

    /** The same solver with another response to negative curvature. */
    public ConjugateGradient fallback(Fallback policy) {
        return with(preconditioner, variant, policy);
    }

    private ConjugateGradient with(IhvpSolver p, Variant v, Fallback policy) {
        return new ConjugateGradient(system.operator(), system.damping(), maxIterations, tolerance, p, v, policy);
    }

    @Override
    public Solution solve(Params v) {
        return solve(v, null);
    }

    /** {@link #solve(Params)}, reporting each iterate q_k to {@code observer} (may be null). */
    public Solution solve(Params v, IterateObserver observer) {
        system.requireRightHandSide("CG", v);
        Run run = iterate(v, observer);
        Solution cg = run.solution();
        if (!run.brokeDown() || onNegative == Fallback.BEST_ITERATE || variant == Variant.NORMAL_EQUATIONS) {
            return cg;
        }
        Solution fallback = onNegative == Fallback.MINRES
                ? Minres.of(system.operator(), system.damping(), maxIterations, tolerance).solve(v)
                : with(null, Variant.NORMAL_EQUATIONS, onNegative).iterate(v, null).solution();
        String method = onNegative == Fallback.MINRES ? "MINRES" : "CG on the normal equations";
        return new Solution(fallback.value(), cg.report().withFallback(method, fallback.report()));
    }

    /** One pass of (P)CG and whether it broke down (negative curvature, or ended worse than q = 0). */
    private record Run(Solution solution, boolean brokeDown) {
    }

    // Plain (P)CG, stopping at negative curvature; after a breakdown, the iterate with the smallest residual.
    private Run iterate(Params v, IterateObserver observer) {
        boolean normal = variant == Variant.NORMAL_EQUATIONS;
        Params b = normal ? system.apply(v) : v;
        Params q = b.zerosLike();
        Params r = b;
        Params z = precondition(r);
        Params p = z;
        double rz = r.dot(z);
        double initial = r.norm();
        Params best = q;
        double bestResidual = initial;
        List<Double> residuals = new ArrayList<>();
        boolean converged = initial == 0;
        boolean negative = false;
        int applications = 0;
        int k = 0;
        while (k < maxIterations && !converged) {
            Params mp = normal ? system.apply(system.apply(p)) : system.apply(p);
            applications += normal ? 2 : 1;
            double curvature = p.dot(mp);
            if (!(curvature > 0)) {
                negative = true;
                break;
            }
            k++;
            double alpha = rz / curvature;
            q = q.axpy(alpha, p);
            r = r.axpy(-alpha, mp);
            double norm = r.norm();
            residuals.add(norm);
            if (observer != null) {
                observer.onIterate(k, q);
            }
            if (norm < bestResidual) {
                bestResidual = norm;
                best = q;
            }
            if (norm <= tolerance * initial) {
                converged = true;
                break;
            }
            z = precondition(r);
            double rzNext = r.dot(z);
            p = z.axpy(rzNext / rz, p);
            rz = rzNext;
        }
        String name = (preconditioner == null ? "CG" : "PCG") + (normal ? " (normal equations)" : "");
        double last = residuals.isEmpty() ? initial : residuals.get(residuals.size() - 1);
        boolean brokeDown = negative || last > initial;
        if (brokeDown && best != q) {
            residuals.add(bestResidual); // the answer returned is the best iterate, not the last
            return new Run(new Solution(best, new SolveReport(name, k, applications, residuals, initial, false, negative, "")),
                    true);
        }
        return new Run(new Solution(q, new SolveReport(name, k, applications, residuals, initial, converged, negative, "")),
                brokeDown);
    }

    private Params precondition(Params r) {
        return preconditioner == null ? r : preconditioner.solve(r).value();
    }

    @Override
    public long storedBytes() {
        return system.storedBytes(6) + (preconditioner == null ? 0 : preconditioner.storedBytes()); // q, r, z, p, M p, best
    }
}
