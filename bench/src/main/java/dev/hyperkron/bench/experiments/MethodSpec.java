package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.methods.KfacIhvp;
import dev.hyperkron.bilevel.methods.OneStepUnrolling;
import dev.hyperkron.bilevel.methods.ReverseUnrolling;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.UncoveredPolicy;


/**
 * Hypergradient methods by command-line name, with the knobs they take.
 *
 * @param damping      damping delta added to the curvature of every IHVP method
 * @param iterations   CG/PCG/MINRES iterations and Neumann terms
 * @param neumannAlpha Neumann step alpha (also the identity method's scale)
 * @param fisher       KFAC/EKFAC Fisher type
 * @param mcSamples    MC Fisher samples per example
 * @param truncation   back-propagated steps of truncated ITD
 * @param uncovered    what KFAC/EKFAC do with parameters outside every Linear and Conv2d
 *                     (transformers' LayerNorms need IDENTITY; FAIL catches a model KFAC misses)
 */
public record MethodSpec(double damping, int iterations, double neumannAlpha, FisherType fisher, int mcSamples,
                         int truncation, UncoveredPolicy uncovered) {

    /** A specification whose KFAC and EKFAC refuse parameters outside every layer they factor. */
    public MethodSpec(double damping, int iterations, double neumannAlpha, FisherType fisher, int mcSamples,
                      int truncation) {
        this(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, UncoveredPolicy.FAIL);
    }

    /** The same specification with another policy for parameters KFAC does not cover. */
    public MethodSpec withUncovered(UncoveredPolicy policy) {
        return new MethodSpec(damping, iterations, neumannAlpha, fisher, mcSamples, truncation, policy);
    }

    /** The names {@link #build} accepts. */
    public static final String NAMES = "aid-kfac, aid-ekfac, aid-cg, aid-pcg, aid-minres, aid-neumann, aid-identity, aid-exact, "
            + "itd, itd-truncated, one-step, one-step-first-order, baseline (no outer updates)";

    public HypergradientMethod build(String name) {
        return switch (name) {
            case "aid-kfac" -> new ImplicitDifferentiation(kfac(IhvpMethods.kfac()));
            case "aid-ekfac" -> new ImplicitDifferentiation(kfac(IhvpMethods.ekfac()));
            case "aid-cg" -> new ImplicitDifferentiation(IhvpMethods.cg().iterations(iterations).damping(damping));
            case "aid-pcg" -> new ImplicitDifferentiation(IhvpMethods.cg().iterations(iterations).damping(damping)
                    .preconditionedByKfac(fisher));
            case "aid-minres" -> new ImplicitDifferentiation(IhvpMethods.minres().iterations(iterations).damping(damping));
            case "aid-neumann" -> new ImplicitDifferentiation(IhvpMethods.neumann(iterations, neumannAlpha, damping));
            case "aid-identity" -> new ImplicitDifferentiation(IhvpMethods.identity(neumannAlpha));
            case "aid-exact" -> new ImplicitDifferentiation(IhvpMethods.exact(damping));
            case "itd" -> ReverseUnrolling.full();
            case "itd-truncated" -> ReverseUnrolling.truncated(truncation);
            case "one-step" -> OneStepUnrolling.secondOrder();
            case "one-step-first-order" -> OneStepUnrolling.firstOrder();
            case "baseline" -> new Baseline();
            default -> throw new UserError("unknown method '" + name + "': use one of " + NAMES);
        };
    }

    private KfacIhvp kfac(KfacIhvp base) {
        KfacIhvp k = base.fisher(fisher).damping(damping).uncovered(uncovered);
        return fisher == FisherType.MC ? k.samples(mcSamples) : k;
    }
}
