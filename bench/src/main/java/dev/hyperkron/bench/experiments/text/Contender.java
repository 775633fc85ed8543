package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ReferenceTraining;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.kfac.UncoveredPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One row of a text-cleaning comparison: a hypergradient method that learns the weights of the
 * noisy training questions, or a reference line that trains the same model without a bilevel
 * problem (see {@link ReferenceTraining}).
 *
 * @param name      the name in tables and files
 * @param method    the hypergradient method, or null for a reference
 * @param reference the reference, or null for a method
 */
public record Contender(String name, HypergradientMethod method, ReferenceTraining reference) {

    /** The names {@link #parse} accepts. */
    public static final String NAMES = "aid-kfac, aid-ekfac, aid-cg, aid-pcg, aid-minres, aid-neumann, aid-identity, sama, soba, "
            + "soba-kfac, amigo, amigo-kfac, bome, f2sa, one-step, one-step-first-order, baseline (uniform weights), "
            + "valid-only, valid+noisy";

    /** Names of hypergradient methods that text-clean runs (others need a dense Hessian or KFAC everywhere). */
    private static final Set<String> METHODS = Set.of("aid-kfac", "aid-ekfac", "aid-cg", "aid-pcg", "aid-minres", "aid-neumann",
            "aid-identity", "sama", "soba", "soba-kfac", "amigo", "amigo-kfac", "bome", "f2sa", "one-step",
            "one-step-first-order", "baseline");

    /** Whether this row learns weights (a reference or uniform weights does not). */
    public boolean learnsWeights() {
        return method != null && !(method instanceof Baseline);
    }

    /**
     * The contenders named on the command line, in order. KFAC and EKFAC give the parameters they
     * do not factor (LayerNorm scales and shifts) the damped identity.
     */
    public static List<Contender> parse(List<String> names, MethodSpec spec) {
        MethodSpec transformerSpec = spec.withUncovered(UncoveredPolicy.IDENTITY);
        List<Contender> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : names) {
            String name = raw.trim();
            Contender c = of(name, transformerSpec);
            if (!seen.add(c.name())) {
                throw new UserError("--method names " + c.name() + " twice; each method runs once");
            }
            out.add(c);
        }
        return out;
    }

    private static Contender of(String name, MethodSpec spec) {
        java.util.Optional<ReferenceTraining> reference = ReferenceTraining.named(name);
        if (reference.isPresent()) {
            return new Contender(name, null, reference.get());
        }
        if (!METHODS.contains(name)) {
            throw new UserError("unknown or unsupported method '" + name + "' for text-clean: use one of " + NAMES);
        }
        HypergradientMethod method = spec.build(name);
        String label = switch (name) {
            case "baseline" -> "baseline (uniform weights)";
            default -> method.name();
        };
        return new Contender(label, method, null);
    }
}
