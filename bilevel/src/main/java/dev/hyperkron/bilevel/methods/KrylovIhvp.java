package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.Minres;

/**
 * A Krylov IHVP method on the damped inner Hessian with named options: CG (optionally
 * KFAC-preconditioned, with a fallback for when it breaks down on indefinite curvature) or MINRES; iterations, damping and
 * relative tolerance. Immutable: each option returns a new method.
 */
public final class KrylovIhvp implements IhvpMethod {
    static final KrylovIhvp CG = new KrylovIhvp(false, 10, 1e-3, 0, null, ConjugateGradient.Fallback.MINRES);
    static final KrylovIhvp MINRES = new KrylovIhvp(true, 10, 1e-3, 0, null, null);

    private final boolean minres;
    private final int iterations;
    private final double damping;
    private final double tolerance;
    private final KfacIhvp preconditioner;
    private final ConjugateGradient.Fallback onNegative;

    private KrylovIhvp(boolean minres, int iterations, double damping, double tolerance, KfacIhvp preconditioner,
                       ConjugateGradient.Fallback onNegative) {
        this.minres = minres;
        this.iterations = iterations;
        this.damping = damping;
        this.tolerance = tolerance;
        this.preconditioner = preconditioner;
        this.onNegative = onNegative;
    }

    /** The iteration budget T (each iteration is one Hessian-vector product). */
    public KrylovIhvp iterations(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("a Krylov IHVP needs at least 1 iteration, got " + t
                    + " (0 iterations would return a zero hypergradient)");
        }
        return new KrylovIhvp(minres, t, damping, tolerance, preconditioner, onNegative);
    }

    /** The damping delta added to the inner Hessian. */
    public KrylovIhvp damping(double delta) {
        return new KrylovIhvp(minres, iterations, Require.finiteNonNegative("damping", delta), tolerance, preconditioner,
                onNegative);
    }

    /** Stop early once the residual falls to this fraction of ||v|| (default 0: run all iterations). */
    public KrylovIhvp tolerance(double relative) {
        return new KrylovIhvp(minres, iterations, damping, Require.finiteNonNegative("tolerance", relative), preconditioner,
                onNegative);
    }

    /**
     * CG preconditioned by a KFAC inverse (PCG): its Fisher type, weight sharing and policy for
     * uncovered parameters are {@code kfac}'s, its damping is this method's.
     */
    public KrylovIhvp preconditionedBy(KfacIhvp kfac) {
        requireCg("a KFAC preconditioner");
        if (kfac == null) {
            throw new IllegalArgumentException("the KFAC preconditioner must not be null");
        }
        return new KrylovIhvp(false, iterations, damping, tolerance, kfac, onNegative);
    }

    /** What CG does when it breaks down on indefinite curvature (default: fall back to MINRES). */
    public KrylovIhvp fallback(ConjugateGradient.Fallback policy) {
        requireCg("a fallback");
        return new KrylovIhvp(false, iterations, damping, tolerance, preconditioner, policy);
    }

    private void requireCg(String what) {
        if (minres) {
            throw new IllegalArgumentException(what + " applies to CG, not MINRES");
        }
    }

    /** "CG(10)", "PCG(10)" or "MINRES(10)". */
    @Override
    public String name() {
        return (minres ? "MINRES" : preconditioner == null ? "CG" : "PCG") + "(" + iterations + ")";
    }

    @Override
    public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
        var hessian = IhvpMethods.hessian(theta, lambda, curvature);
        if (minres) {
            return Minres.of(hessian, damping, iterations, tolerance);
        }
        ConjugateGradient cg = ConjugateGradient.of(hessian, damping, iterations, tolerance).fallback(onNegative);
        if (preconditioner == null) {
            return cg;
        }
        return cg.preconditioned(preconditioner.damping(damping).build(theta, lambda, curvature, rng));
    }
}
