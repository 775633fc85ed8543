package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ExactSolver;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.kfac.NeumannSeries;

/**
 * The IHVP methods of the paper's comparison, each a recipe that builds its solver per outer
 * step. The configurable ones are immutable builders with named options and the defaults of the
 * paper's setups, e.g. {@code IhvpMethods.kfac().fisher(FisherType.MC).damping(1e-3)} or
 * {@code IhvpMethods.cg().iterations(10)}; invalid values are refused when set.
 */
public final class IhvpMethods {
    private IhvpMethods() {
    }

    /** KFAC of the inner loss, inverted in closed form (default: type-2 Fisher, damping 1e-3, heuristic). */
    public static KfacIhvp kfac() {
        return KfacIhvp.DEFAULT;
    }

    /** EKFAC of the inner loss, inverted in closed form (default: type-2 Fisher, damping 1e-3). */
    public static KfacIhvp ekfac() {
        return KfacIhvp.DEFAULT.eigenvalueCorrected();
    }

    /** Conjugate gradients on the damped inner Hessian (default: 10 iterations, damping 1e-3, MINRES fallback). */
    public static KrylovIhvp cg() {
        return KrylovIhvp.CG;
    }

    /** MINRES on the damped inner Hessian, for indefinite curvature (default: 10 iterations, damping 1e-3). */
    public static KrylovIhvp minres() {
        return KrylovIhvp.MINRES;
    }

    /** K terms of the Neumann series with step alpha on the damped inner Hessian. */
    public static IhvpMethod neumann(int terms, double alpha, double damping) {
        if (terms < 0) {
            throw new IllegalArgumentException("the Neumann series needs K >= 0 terms, got " + terms);
        }
        NeumannSeries.of(null, damping, alpha, 0); // validates alpha and damping now
        return method("Neumann(" + terms + ")", (theta, lambda, g, rng) ->
                NeumannSeries.of(hessian(theta, lambda, g), damping, alpha, terms));
    }

    /** The identity surrogate q = alpha v. */
    public static IhvpMethod identity(double alpha) {
        NeumannSeries identity = NeumannSeries.identity(alpha);
        return method("identity", (theta, lambda, g, rng) -> identity);
    }

    /** The exact damped inverse of the dense inner Hessian, definite or not (small problems only). */
    public static IhvpMethod exact(double damping) {
        Require.finiteNonNegative("damping", damping);
        return method("exact", (theta, lambda, g, rng) -> ExactSolver.general(hessian(theta, lambda, g), damping));
    }

    /** A named recipe. */
    public static IhvpMethod method(String name, Recipe recipe) {
        return new IhvpMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
                return recipe.build(theta, lambda, curvature, rng);
            }
        };
    }

    /** How an {@link IhvpMethod} builds its solver. */
    @FunctionalInterface
    public interface Recipe {
        IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng);
    }

    /** The inner Hessian at (theta, lambda) on the curvature batch, lambda held fixed. */
    static HessianOperator hessian(Params theta, Params lambda, InnerObjective g) {
        Params fixedLambda = lambda.detached();
        return HessianOperator.ofFunction(theta, t -> g.at(t, fixedLambda));
    }

    static LossBatch lossBatch(Params lambda, InnerObjective g, String method) {
        return g.asLossBatch(lambda).orElseThrow(() -> new IllegalArgumentException(method
                + " needs the inner loss as a model loss (+ uniform L2): this problem's InnerObjective does not "
                + "override asLossBatch (and regularizerCurvature); use CG, MINRES, Neumann or exact instead"));
    }
}
