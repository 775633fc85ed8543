package dev.hyperkron.bench.experiments;

/**
 * The hyperparameters of the bilevel algorithms beyond AID and unrolling, named as in their
 * papers where they have a name there.
 *
 * @param trackingRate  step size of SOBA's and AmIGO's v updates (SOBA's rho)
 * @param trackingSteps v updates per outer step of AmIGO (SOBA takes one)
 * @param bomeEta       BOME's eta (its phi = eta ||grad q||^2)
 * @param f2saStart     F2SA's first multiplier (its lambda_0)
 * @param f2saGrowth    F2SA's multiplier increase per outer step
 * @param f2saMax       F2SA's largest multiplier
 * @param samaRadius    SAMA's finite-difference radius (eps = radius / ||q||)
 */
public record AlgorithmSettings(double trackingRate, int trackingSteps, double bomeEta, double f2saStart,
                                double f2saGrowth, double f2saMax, double samaRadius) {
    /** Defaults that suit the hypercleaning runs of the demo's size. */
    public static final AlgorithmSettings DEFAULT = new AlgorithmSettings(0.5, 5, 0.5, 10, 1, 100, 1e-3);
}
