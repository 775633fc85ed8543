package dev.hyperkron.bilevel.methods;

import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.ExactSolver;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.kfac.NeumannSeries;
import dev.hyperkron.nn.Params;
import java.util.List;
import java.util.function.Function;

/** The IHVP methods of the paper's comparison, each a recipe that builds its solver per outer step. */
public final class IhvpMethods {
    private IhvpMethods() {
    }

    /** KFAC of the inner loss with the given Fisher type, inverted in closed form. */
    public static IhvpMethod kfac(FisherType type, int mcSamples, double damping, KfacInverse.Damping strategy) {
        return method("KFAC" + (type == FisherType.TYPE2 ? "" : "-" + type), (theta, lambda, g, rng) -> {
            KfacOperator kfac = kfacOperator(theta, lambda, g, type, mcSamples, rng);
            return KfacInverse.of(kfac, damping + g.regularizerCurvature(lambda), strategy, 0);
        });
    }

    /** EKFAC of the inner loss, inverted in closed form. */
    public static IhvpMethod ekfac(FisherType type, int mcSamples, double damping) {
        return method("EKFAC", (theta, lambda, g, rng) -> {
            var ekfac = KfacOperator.builder(theta).fisherType(type).mcSamples(mcSamples).rng(rng)
                    .buildEkfac(List.of(lossBatch(lambda, g, "EKFAC")));
            return EkfacInverse.of(ekfac, damping + g.regularizerCurvature(lambda));
        });
    }

    /** T iterations of conjugate gradients on the damped inner Hessian. */
    public static IhvpMethod cg(int iterations, double damping) {
        return method("CG(" + iterations + ")", (theta, lambda, g, rng) ->
                ConjugateGradient.of(hessian(theta, lambda, g), damping, iterations, 0));
    }

    /** CG on the damped inner Hessian, preconditioned by the KFAC inverse. */
    public static IhvpMethod pcg(int iterations, double damping, FisherType type) {
        return method("PCG(" + iterations + ")", (theta, lambda, g, rng) -> {
            KfacInverse preconditioner = KfacInverse.of(kfacOperator(theta, lambda, g, type, 1, rng),
                    damping + g.regularizerCurvature(lambda), KfacInverse.Damping.HEURISTIC, 0);
            return ConjugateGradient.of(hessian(theta, lambda, g), damping, iterations, 0).preconditioned(preconditioner);
        });
    }

    /** K terms of the Neumann series with step alpha on the damped inner Hessian. */
    public static IhvpMethod neumann(int terms, double alpha, double damping) {
        return method("Neumann(" + terms + ")", (theta, lambda, g, rng) ->
                NeumannSeries.of(hessian(theta, lambda, g), damping, alpha, terms));
    }

    /** The identity surrogate q = alpha v. */
    public static IhvpMethod identity(double alpha) {
        return method("identity", (theta, lambda, g, rng) -> NeumannSeries.identity(alpha));
    }

    /** The exact damped inverse of the dense inner Hessian, definite or not (small problems only). */
    public static IhvpMethod exact(double damping) {
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

    private static HessianOperator hessian(Params theta, Params lambda, InnerObjective g) {
        Params fixedLambda = lambda.detached();
        Function<Params, dev.hyperkron.autodiff.Var> loss = t -> g.at(t, fixedLambda);
        return HessianOperator.ofFunction(theta, loss);
    }

    private static KfacOperator kfacOperator(Params theta, Params lambda, InnerObjective g, FisherType type,
                                             int mcSamples, Rng rng) {
        return KfacOperator.builder(theta).fisherType(type).mcSamples(mcSamples).rng(rng)
                .build(List.of(lossBatch(lambda, g, "KFAC")));
    }

    private static LossBatch lossBatch(Params lambda, InnerObjective g, String method) {
        return g.asLossBatch(lambda).orElseThrow(() -> new IllegalArgumentException(method
                + " needs an inner loss of the form model loss (+ uniform L2); this problem's inner loss has no such form"));
    }
}
