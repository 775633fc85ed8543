package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.AlgorithmSettings;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.kfac.FisherType;
import picocli.CommandLine.Option;

/** The knobs of the hypergradient methods, shared by every command that runs them. */
public final class MethodOptions {
    @Option(names = "--damping", description = "Damping added to the curvature of the IHVP methods; the inner L2 "
            + "coefficient is added on top for KFAC and EKFAC (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    double damping;

    @Option(names = "--iterations", description = "CG/PCG/MINRES iterations and Neumann terms (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int iterations;

    @Option(names = "--neumann-alpha", description = "Neumann step (and identity scale) (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double neumannAlpha;

    @Option(names = "--fisher", description = "KFAC Fisher type: TYPE2, MC, EMPIRICAL, FORWARD_ONLY (default: ${DEFAULT-VALUE}).",
            defaultValue = "TYPE2")
    FisherType fisher;

    @Option(names = "--mc-samples", description = "Samples per example for --fisher MC (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int mcSamples;

    @Option(names = "--truncation", description = "Back-propagated steps of itd-truncated (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int truncation;

    @Option(names = "--curvature-refresh", paramLabel = "R", description = "Build the IHVP solver of aid-kfac, aid-ekfac "
            + "and aid-exact every R outer steps and reuse it in between (amortized curvature: KFAC's factors and inverse cost 1/R, "
            + "at curvature up to R - 1 steps old) (default: ${DEFAULT-VALUE}, every step).", defaultValue = "1")
    int curvatureRefresh;

    @Option(names = MethodSpec.KFAC_FACTORS_OPTION, paramLabel = "fresh|inner", description = "Where aid-kfac and "
            + "aid-ekfac get their KFAC factors: fresh (passes of their own on a curvature batch at the inner phase's "
            + "result) or inner (A from the forward passes of the inner steps, averaged over all T steps, G from one "
            + "extra Fisher-type backward on the last inner step's batch); combines with --curvature-refresh "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = MethodSpec.FRESH_FACTORS)
    String kfacFactors;

    @Option(names = "--tracking-rate", description = "Step size of the plain v updates of soba and amigo (SOBA's "
            + "rho; above 2 / the largest curvature they diverge) (default: ${DEFAULT-VALUE}).", defaultValue = "0.05")
    double trackingRate;

    @Option(names = "--kfac-tracking-rate", description = "Fraction of the line-searched KFAC-preconditioned v step of "
            + "soba-kfac and amigo-kfac (default: ${DEFAULT-VALUE}).", defaultValue = "0.5")
    double kfacTrackingRate;

    @Option(names = "--tracking-steps", description = "v updates per outer step of amigo (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int trackingSteps;

    @Option(names = "--tracking-damping", description = "Damping of the tracked system of soba and amigo (and of its "
            + "KFAC preconditioner): v converges to the exact damped solution, which a barely damped Hessian makes "
            + "huge (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double trackingDamping;

    @Option(names = "--bome-eta", description = "BOME's eta: the barrier's rate phi = eta ||grad q||^2 (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "0.5")
    double bomeEta;

    @Option(names = "--f2sa-multiplier", split = ",", paramLabel = "START,GROWTH,MAX",
            description = "F2SA's penalty multiplier: first value, increase per outer step, largest value (default: "
                    + "10,1,100).", defaultValue = "10,1,100")
    double[] f2saMultiplier;

    @Option(names = "--sama-radius", description = "SAMA's finite-difference radius r (step r / ||q||, q = "
            + "--neumann-alpha times df/dtheta) (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    double samaRadius;

    /** Refuses values no method can use (negative damping, no iterations, a zero Neumann step, no MC samples). */
    public void validate() {
        Checks.nonNegative("--damping", damping);
        Checks.atLeast("--iterations", iterations, 1);
        Checks.positive("--neumann-alpha", neumannAlpha);
        Checks.atLeast("--mc-samples", mcSamples, 1);
        Checks.atLeast("--truncation", truncation, 1);
        Checks.atLeast("--curvature-refresh", curvatureRefresh, 1);
        if (!kfacFactors.equals(MethodSpec.FRESH_FACTORS) && !kfacFactors.equals(MethodSpec.INNER_FACTORS)) {
            throw new UserError(MethodSpec.KFAC_FACTORS_OPTION + " takes " + MethodSpec.FRESH_FACTORS + " or "
                    + MethodSpec.INNER_FACTORS + ", got '" + kfacFactors + "'");
        }
        Checks.positive("--tracking-rate", trackingRate);
        Checks.positive("--kfac-tracking-rate", kfacTrackingRate);
        Checks.nonNegative("--tracking-damping", trackingDamping);
        Checks.atLeast("--tracking-steps", trackingSteps, 1);
        Checks.positive("--bome-eta", bomeEta);
        if (f2saMultiplier.length != 3) {
            throw new UserError("--f2sa-multiplier takes three numbers START,GROWTH,MAX, got " + f2saMultiplier.length);
        }
        Checks.positive("--f2sa-multiplier (first value)", f2saMultiplier[0]);
        Checks.nonNegative("--f2sa-multiplier (growth)", f2saMultiplier[1]);
        Checks.positive("--f2sa-multiplier (largest value)", f2saMultiplier[2]);
        if (f2saMultiplier[2] < f2saMultiplier[0]) {
            String typed = java.util.Arrays.stream(f2saMultiplier)
                    .mapToObj(v -> v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v))
                    .collect(java.util.stream.Collectors.joining(","));
            throw new UserError("--f2sa-multiplier " + typed + ": the largest value (third) is below the first");
        }
        Checks.positive("--sama-radius", samaRadius);
    }

    private AlgorithmSettings algorithms() {
        return new AlgorithmSettings(trackingRate, kfacTrackingRate, trackingSteps, trackingDamping, bomeEta,
                f2saMultiplier[0], f2saMultiplier[1],
                f2saMultiplier[2], samaRadius);
    }

    /** The options as a method specification. */
    public MethodSpec spec() {
        return spec(fisher);
    }

    /** The same specification with another Fisher type (e.g. bench-bilevel's aid-kfac-mc). */
    public MethodSpec spec(FisherType type) {
        return new MethodSpec(damping, iterations, neumannAlpha, type, mcSamples, truncation, algorithms())
                .withRefresh(curvatureRefresh).withInnerStepFactors(kfacFactors.equals(MethodSpec.INNER_FACTORS));
    }
}
