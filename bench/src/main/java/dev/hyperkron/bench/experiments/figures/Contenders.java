package dev.hyperkron.bench.experiments.figures;

import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ReferenceTraining;
import dev.hyperkron.bench.experiments.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contenders a figure command accepts: any hypergradient method of {@link MethodSpec} and
 * the reference trainings of {@link ReferenceTraining}. Names are checked before any data is
 * loaded, so that a typo fails in a second rather than after an hour of runs.
 */
public final class Contenders {
    /** The names {@link #checked} accepts. */
    public static final String NAMES = MethodSpec.NAMES + ", valid-only, valid+noisy";

    private Contenders() {
    }

    /** The names, trimmed, each known and given once. */
    public static List<String> checked(List<String> names, MethodSpec spec) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : names) {
            String name = raw.trim();
            String label = label(name, spec);
            if (!seen.add(label)) {
                throw new UserError("--method names " + label + " twice; each method runs once");
            }
            out.add(name);
        }
        return out;
    }

    /** The contender's name in tables: the method's own (e.g. "AID-CG(10)") or the reference's. */
    public static String label(String name, MethodSpec spec) {
        if (ReferenceTraining.named(name).isPresent()) {
            return name;
        }
        try {
            return spec.build(name).name();
        } catch (UserError e) {
            throw new UserError("unknown method '" + name + "': use one of " + NAMES);
        }
    }
}
