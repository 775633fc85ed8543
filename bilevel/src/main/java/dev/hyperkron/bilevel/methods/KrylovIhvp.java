package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.Minres;

/**
 * A Krylov IHVP method on the damped inner Hessian with named options: CG (optionally
 * KFAC-preconditioned, with a response to negative curvature) or MINRES; iterations, damping and
 * relative tolerance. Immutable: each option returns a new method.
 */
public final class KrylovIhvp implements IhvpMethod {
    static final KrylovIhvp CG = new KrylovIhvp(false, 10, 1e-3, 0, null, ConjugateGradient.OnNegativeCurvature.MINRES);
    static final KrylovIhvp MINRES = new KrylovIhvp(true, 10, 1e-3, 0, null, null);

    private final boolean minres;
    private final int iterations;
    private final double damping;
    private final double tolerance;
    private final FisherType preconditioner;
    private final ConjugateGradient.OnNegativeCurvature onNegative;

    private KrylovIhvp(boolean minres, int iterations, double damping, double tolerance, FisherType preconditioner,
                       ConjugateGradient.OnNegativeCurvature onNegative) {
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
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("damping must be finite and >= 0, got " + delta);
        }
        return new KrylovIhvp(minres, iterations, delta, tolerance, preconditioner, onNegative);
    }

    /** Stop early once the residual falls to this fraction of ||v|| (default 0: run all iterations). */
    public KrylovIhvp tolerance(double relative) {
        if (!(relative >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + relative);
        }
        return new KrylovIhvp(minres, iterations, damping, relative, preconditioner, onNegative);
    }

    /** CG preconditioned by the KFAC inverse of the given Fisher type (PCG). */
    public KrylovIhvp preconditionedByKfac(FisherType type) {
        requireCg("a KFAC preconditioner");
        return new KrylovIhvp(false, iterations, damping, tolerance, type, onNegative);
    }

    /** What CG does on negative curvature (default: fall back to MINRES). */
    public KrylovIhvp onNegativeCurvature(ConjugateGradient.OnNegativeCurvature policy) {
        requireCg("a negative-curvature policy");
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
        ConjugateGradient cg = ConjugateGradient.of(hessian, damping, iterations, tolerance).onNegativeCurvature(onNegative);
        if (preconditioner == null) {
            return cg;
        }
        KfacInverse inverse = KfacInverse.of(IhvpMethods.kfacOperator(theta, lambda, curvature, preconditioner, 1, rng),
                damping + curvature.regularizerCurvature(lambda), KfacInverse.Damping.HEURISTIC, 0);
        return cg.preconditioned(inverse);
    }
}
