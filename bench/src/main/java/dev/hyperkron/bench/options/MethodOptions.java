package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.MethodSpec;
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

    /** Refuses values no method can use (negative damping, no iterations, a zero Neumann step, no MC samples). */
    public void validate() {
        Checks.nonNegative("--damping", damping);
        Checks.atLeast("--iterations", iterations, 1);
        Checks.positive("--neumann-alpha", neumannAlpha);
        Checks.atLeast("--mc-samples", mcSamples, 1);
        Checks.atLeast("--truncation", truncation, 1);
    }

    /** The options as a method specification. */
    public MethodSpec spec() {
        return new MethodSpec(damping, iterations, neumannAlpha, fisher, mcSamples, truncation);
    }

    /** The same specification with another Fisher type (e.g. bench-bilevel's aid-kfac-mc). */
    public MethodSpec spec(FisherType type) {
        return new MethodSpec(damping, iterations, neumannAlpha, type, mcSamples, truncation);
    }
}
