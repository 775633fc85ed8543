package dev.hyperkron.spark.curvature;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.influence.Query;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Reduction;
import java.util.List;

/**
 * Influence scores (Koh and Liang 2017) of every training example with curvature fitted over a
 * Spark-partitioned training set: KFAC or EKFAC by {@link DataParallelCurvature}, its damped
 * inverse applied once on the driver to the query's gradient, s = H^-1 grad L_query, then s is
 * broadcast and every partition scores its examples, I(z_i) = -&lt;grad l(z_i), s&gt;. The same
 * estimator as the bilevel module's {@code Influence} with {@code IhvpMethods.kfac()/ekfac()}
 * (the weight decay joins the damping), so the scores match it to summation order.
 */
public final class DistributedInfluence {
    /** The methods that fit distributed: KFAC and EKFAC. */
    public static final List<String> METHODS = List.of("kfac", "ekfac");

    private DistributedInfluence() {
    }

    /**
     * Every example's score and where the time went.
     *
     * @param fitSeconds   curvature passes over the partitions (KFAC; EKFAC adds the refit pass)
     * @param solveSeconds the inverse and the one IHVP on the driver
     * @param scoreSeconds the scoring pass over the partitions
     */
    public record Scores(String method, double[] scores, double fitSeconds, double solveSeconds, double scoreSeconds) {
        /** Wall-clock seconds per scored example, everything included. */
        public double secondsPerExample() {
            return (fitSeconds + solveSeconds + scoreSeconds) / scores.length;
        }
    }

    /**
     * Scores of the examples of {@code curvature} at parameters theta of an objective with L2
     * coefficient {@code weightDecay}, by {@code method} (kfac or ekfac) with {@code damping}.
     */
    public static Scores scores(DataParallelCurvature curvature, Params theta, double weightDecay, Query query,
                                String method, double damping, int batchSize) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("distributed influence fits kfac or ekfac, got '" + method + "'");
        }
        double delta = damping + weightDecay;
        long start = System.nanoTime();
        IhvpSolver inverse = method.equals("ekfac") ? EkfacInverse.of(curvature.ekfac(theta, null), delta)
                : KfacInverse.of(curvature.kfac(theta, null), delta, KfacInverse.Damping.HEURISTIC, 0);
        long fitted = System.nanoTime();
        Params s = inverse.solve(queryGradient(curvature.recipe(), theta, query)).value().cast(theta.dtype());
        long solved = System.nanoTime();
        double[] scores = curvature.exampleGradientsDot(theta, s, batchSize);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = -scores[i];
        }
        return new Scores(method, scores, (fitted - start) * 1e-9, (solved - fitted) * 1e-9,
                (System.nanoTime() - solved) * 1e-9);
    }

    /**
     * max_i |actual_i - expected_i| / max_i |expected_i|: how far two score vectors are apart, relative to
     * the largest score (per-score relative errors are meaningless for scores near zero).
     */
    public static double maxRelativeDifference(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException(expected.length + " expected scores, " + actual.length + " actual");
        }
        double scale = 0;
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(expected[i] - actual[i]));
        }
        return error / scale;
    }

    /** The gradient of the query's mean loss at theta (the query is small: it stays on the driver). */
    static Params queryGradient(ModelRecipe recipe, Params theta, Query query) {
        Module model = recipe.build();
        Var x = Var.constant(query.inputs().cast(recipe.dtype()));
        return Grad.grad(t -> recipe.loss().apply(model.apply(t, x, Context.eval()), query.targets(), Reduction.MEAN),
                theta);
    }
}
