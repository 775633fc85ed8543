package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.methods.Bome;
import dev.hyperkron.bilevel.methods.F2sa;
import dev.hyperkron.bilevel.methods.Sama;
import dev.hyperkron.bilevel.methods.TrackedLinearSystem;
import dev.hyperkron.bilevel.methods.KfacIhvp;
import dev.hyperkron.bilevel.methods.OneStepUnrolling;
import dev.hyperkron.bilevel.methods.ReverseUnrolling;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.UncoveredPolicy;
import java.util.LinkedHashMap;
import java.util.Map;


/**
 * Hypergradient methods by command-line name, with the knobs they take.
 *
 * @param damping      damping delta added to the curvature of every IHVP method
 * @param iterations   CG/PCG/MINRES iterations and Neumann terms
 * @param neumannAlpha Neumann step alpha (also the identity method's scale)
 * @param fisher       KFAC/EKFAC Fisher type
 * @param mcSamples    MC Fisher samples per example
 * @param truncation   back-propagated steps of truncated ITD
 * @param algorithms   the knobs of SOBA, AmIGO, BOME, F2SA and SAMA
 * @param uncovered    what KFAC/EKFAC do with parameters outside every Linear and Conv2d
 *                     (transformers' LayerNorms need IDENTITY; FAIL catches a model KFAC misses)
 * @param refresh      outer steps between builds of the IHVP solvers of aid-kfac, aid-ekfac and
 *                     aid-exact (1: every step; more amortizes the factors over that many steps)
 * @param innerStepFactors whether aid-kfac and aid-ekfac gather their KFAC factors during the inner
 *                     steps (A from every step's forward pass, G from one Fisher-type backward on
 *                     the last) instead of by passes of their own on a curvature batch
 */
public record MethodSpec(double damping, int iterations, double neumannAlpha, FisherType fisher, int mcSamples,
                         int truncation, AlgorithmSettings algorithms, UncoveredPolicy uncovered, int refresh,
                         boolean innerStepFactors) {

    /** The command-line option that sets {@link #innerStepFactors}, and its values. */
    public static final String KFAC_FACTORS_OPTION = "--kfac-factors";
    public static final String FRESH_FACTORS = "fresh";
    public static final String INNER_FACTORS = "inner";

    /** A specification whose KFAC and EKFAC refuse parameters outside every layer they factor, refreshed every step. */
    public MethodSpec(double damping, int iterations, double neumannAlpha, FisherType fisher, int mcSamples,
                      int truncation, AlgorithmSettings algorithms) {
        this(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, algorithms, UncoveredPolicy.FAIL, 1, false);
    }

    /** The same specification with another policy for parameters KFAC does not cover. */
    public MethodSpec withUncovered(UncoveredPolicy policy) {
        return new MethodSpec(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, algorithms, policy,
                refresh, innerStepFactors);
    }

    /** The same specification with another CG/PCG/MINRES iteration count and Neumann term count. */
    public MethodSpec withIterations(int count) {
        return new MethodSpec(damping, count, neumannAlpha, fisher, mcSamples, truncation, algorithms, uncovered, refresh,
                innerStepFactors);
    }

    /** The same specification with the aid-* solvers built every {@code steps} outer steps. */
    public MethodSpec withRefresh(int steps) {
        return new MethodSpec(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, algorithms, uncovered,
                steps, innerStepFactors);
    }

    /** The same specification with aid-kfac's and aid-ekfac's factors gathered during the inner steps (or not). */
    public MethodSpec withInnerStepFactors(boolean inner) {
        return new MethodSpec(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, algorithms, uncovered,
                refresh, inner);
    }

    /** The names {@link #build} accepts. */
    public static final String NAMES = "aid-kfac, aid-ekfac, aid-cg, aid-pcg, aid-minres, aid-neumann, aid-identity, aid-exact, "
            + "soba, soba-kfac, amigo, amigo-kfac, bome, f2sa, sama, "
            + "itd, itd-truncated, one-step, one-step-first-order, baseline (no outer updates)";

    /**
     * The method of that name with these knobs.
     *
     * @throws UserError for an unknown name, or with {@link #innerStepFactors} for a method other than
     *                   aid-kfac and aid-ekfac (only AID captures its inner steps' passes)
     */
    public HypergradientMethod build(String name) {
        if (innerStepFactors && !name.equals("aid-kfac") && !name.equals("aid-ekfac")) {
            throw new UserError(KFAC_FACTORS_OPTION + " " + INNER_FACTORS + " gathers KFAC factors during AID's inner "
                    + "steps, so it applies to aid-kfac and aid-ekfac only, not to '" + name + "': run that method "
                    + "without it (or with " + KFAC_FACTORS_OPTION + " " + FRESH_FACTORS + ")");
        }
        return switch (name) {
            case "aid-kfac" -> factoredAid(kfac(IhvpMethods.kfac()));
            case "aid-ekfac" -> factoredAid(kfac(IhvpMethods.ekfac()));
            case "aid-cg" -> new ImplicitDifferentiation(IhvpMethods.cg().iterations(iterations).damping(damping));
            case "aid-pcg" -> new ImplicitDifferentiation(IhvpMethods.cg().iterations(iterations).damping(damping)
                    .preconditionedBy(kfac(IhvpMethods.kfac())));
            case "aid-minres" -> new ImplicitDifferentiation(IhvpMethods.minres().iterations(iterations).damping(damping));
            case "aid-neumann" -> new ImplicitDifferentiation(IhvpMethods.neumann(iterations, neumannAlpha, damping));
            case "aid-identity" -> new ImplicitDifferentiation(IhvpMethods.identity(neumannAlpha));
            case "aid-exact" -> factoredAid(IhvpMethods.exact(damping));
            case "soba" -> TrackedLinearSystem.soba(algorithms.trackingRate()).damping(algorithms.trackingDamping());
            case "soba-kfac" -> TrackedLinearSystem.soba(algorithms.kfacTrackingRate())
                    .damping(algorithms.trackingDamping()).preconditionedBy(trackingPreconditioner());
            case "amigo" -> TrackedLinearSystem.amigo(algorithms.trackingSteps(), algorithms.trackingRate())
                    .damping(algorithms.trackingDamping());
            case "amigo-kfac" -> TrackedLinearSystem.amigo(algorithms.trackingSteps(), algorithms.kfacTrackingRate())
                    .damping(algorithms.trackingDamping()).preconditionedBy(trackingPreconditioner());
            case "bome" -> new Bome(algorithms.bomeEta());
            case "f2sa" -> new F2sa(algorithms.f2saStart(), algorithms.f2saGrowth(), algorithms.f2saMax());
            case "sama" -> new Sama(neumannAlpha, algorithms.samaRadius());
            case "itd" -> ReverseUnrolling.full();
            case "itd-truncated" -> ReverseUnrolling.truncated(truncation);
            case "one-step" -> OneStepUnrolling.secondOrder();
            case "one-step-first-order" -> OneStepUnrolling.firstOrder();
            case "baseline" -> new Baseline();
            default -> throw new UserError("unknown method '" + name + "': use one of " + NAMES);
        };
    }

    /** The knobs by command-line option name and value, as a checkpoint records them. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("--damping", String.valueOf(damping));
        s.put("--iterations", String.valueOf(iterations));
        s.put("--neumann-alpha", String.valueOf(neumannAlpha));
        s.put("--fisher", fisher.name());
        s.put("--mc-samples", String.valueOf(mcSamples));
        s.put("--truncation", String.valueOf(truncation));
        s.put("--curvature-refresh", String.valueOf(refresh));
        if (innerStepFactors) {
            // Recorded only when not the default, so that checkpoints written before the option still resume.
            s.put(KFAC_FACTORS_OPTION, INNER_FACTORS);
        }
        s.put("--tracking-rate", String.valueOf(algorithms.trackingRate()));
        s.put("--kfac-tracking-rate", String.valueOf(algorithms.kfacTrackingRate()));
        s.put("--tracking-damping", String.valueOf(algorithms.trackingDamping()));
        s.put("--tracking-steps", String.valueOf(algorithms.trackingSteps()));
        s.put("--bome-eta", String.valueOf(algorithms.bomeEta()));
        s.put("--f2sa-multiplier", algorithms.f2saStart() + "," + algorithms.f2saGrowth() + "," + algorithms.f2saMax());
        s.put("--sama-radius", String.valueOf(algorithms.samaRadius()));
        return s;
    }

    /**
     * AID with a factored solver (KFAC, EKFAC, the exact inverse), built every {@link #refresh}
     * steps; the Krylov and Neumann solvers do their HVPs at solve time, so reusing them saves nothing.
     */
    private ImplicitDifferentiation factoredAid(IhvpMethod ihvp) {
        return new ImplicitDifferentiation(ihvp).refreshingEvery(refresh);
    }

    /** KFAC or EKFAC for AID, with its factors from the inner steps when so specified. */
    private KfacIhvp kfac(KfacIhvp base) {
        KfacIhvp k = kfac(base, damping);
        return innerStepFactors ? k.factorsFromInnerSteps() : k;
    }

    /** The KFAC preconditioner of SOBA's and AmIGO's tracked system, damped as that system is. */
    private KfacIhvp trackingPreconditioner() {
        return kfac(IhvpMethods.kfac(), algorithms.trackingDamping());
    }

    private KfacIhvp kfac(KfacIhvp base, double delta) {
        KfacIhvp k = base.fisher(fisher).damping(delta).uncovered(uncovered);
        return fisher == FisherType.MC ? k.samples(mcSamples) : k;
    }
}
