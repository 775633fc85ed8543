package dev.hyperkron.spark.curvature;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.kfac.EkfacInverse;

/**
 * The full-batch AID hypergradient of per-example weights (data hypercleaning: inner loss
 * g = (1/N) sum_i w_i l_i + (c/2) ||theta||^2, outer loss f = mean validation loss) with every sum
 * over examples taken data-parallel: v = grad f as a sum of per-example validation gradients,
 * q = (EKFAC_w + damping + c)^-1 v with EKFAC fitted over the weighted training partitions, and
 * dF/dw_i = -(1/N) &lt;grad l_i, q&gt; as per-example products in every partition. It is what the
 * bilevel module's ImplicitDifferentiation with IhvpMethods.ekfac() gives on full batches.
 */
public final class DistributedHypergradient {
    private DistributedHypergradient() {
    }

    /** dF/dw at (theta, weights), indexed by training position. */
    public static double[] ofExampleWeights(DataParallelCurvature train, DataParallelCurvature validation, Params theta,
                                            double[] weights, double weightDecay, double damping, int batchSize) {
        Params v = validation.meanGradient(theta);
        EkfacInverse inverse = EkfacInverse.of(train.ekfac(theta, weights), damping + weightDecay);
        Params q = inverse.solve(v).value().cast(theta.dtype());
        double[] dots = train.exampleGradientsDot(theta, q, batchSize);
        double[] hypergradient = new double[dots.length];
        for (int i = 0; i < dots.length; i++) {
            hypergradient[i] = -dots[i] / dots.length;
        }
        return hypergradient;
    }
}
