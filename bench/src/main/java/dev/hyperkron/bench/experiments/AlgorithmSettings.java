package dev.hyperkron.bench.experiments;

/**
 * The hyperparameters of the bilevel algorithms beyond AID and unrolling, named as in their
 * papers where they have a name there.
 *
 * @param trackingRate     step size of SOBA's and AmIGO's plain v updates (SOBA's rho)
 * @param kfacTrackingRate fraction of the line-searched KFAC-preconditioned step of their -kfac variants
 * @param trackingSteps    v updates per outer step of AmIGO (SOBA takes one)
 * @param trackingDamping  damping of their tracked system (H + delta I) v = df/dtheta and of its KFAC
 *                         preconditioner: the tracked v converges to the exact damped solution, which a
 *                         barely damped, indefinite Hessian makes huge (measured on a Fashion-MNIST MLP:
 *                         SOBA+KFAC's hypergradient norm grew to 1e18 at delta = 1e-3, and reached the
 *                         lowest test loss of all methods at delta = 0.1)
 * @param bomeEta       BOME's eta (its phi = eta ||grad q||^2)
 * @param f2saStart     F2SA's first multiplier (its lambda_0)
 * @param f2saGrowth    F2SA's multiplier increase per outer step
 * @param f2saMax       F2SA's largest multiplier
 * @param samaRadius    SAMA's finite-difference radius (eps = radius / ||q||)
 */
public record AlgorithmSettings(double trackingRate, double kfacTrackingRate, int trackingSteps, double trackingDamping,
                                double bomeEta, double f2saStart, double f2saGrowth, double f2saMax,
                                double samaRadius) {
    /** Defaults that suit the hypercleaning runs of the demo's size. */
    public static final AlgorithmSettings DEFAULT = new AlgorithmSettings(0.05, 0.5, 5, 0.1, 0.5, 10, 1, 100, 1e-3);
}
