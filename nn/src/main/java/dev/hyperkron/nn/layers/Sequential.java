package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.FusedActivation;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Modules applied in order; child i (or a given name) owns the parameters under "name.". */
public final class Sequential implements Module {
    private final LinkedHashMap<String, Module> children;
    /** What apply runs, planned once: the children in order, a fusable Linear and activation as one step. */
    private final List<Step> steps;

    /** A child to apply, with the activation of the next child when it runs fused into this Linear (else null). */
    private record Step(String name, Module module, FusedActivation fused) {
    }

    /** Children named "0", "1", ... as in PyTorch. */
    public Sequential(Module... modules) {
        this.children = new LinkedHashMap<>();
        for (int i = 0; i < modules.length; i++) {
            children.put(Integer.toString(i), modules[i]);
        }
        this.steps = plan(children);
    }

    /** Children with explicit names (no dots, unique). */
    public Sequential(Map<String, Module> named) {
        this.children = new LinkedHashMap<>();
        named.forEach((name, m) -> {
            if (name.isEmpty() || name.contains(".")) {
                throw new IllegalArgumentException("child name '" + name + "' must be non-empty and contain no dots");
            }
            children.put(name, m);
        });
        this.steps = plan(children);
    }

    // A Linear directly followed by an activation it can fuse (ReLU, Tanh, Sigmoid) is one step.
    private static List<Step> plan(LinkedHashMap<String, Module> children) {
        List<Map.Entry<String, Module>> order = new ArrayList<>(children.entrySet());
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Module module = order.get(i).getValue();
            FusedActivation fused = module instanceof Linear && i + 1 < order.size()
                    && order.get(i + 1).getValue() instanceof Activation next ? next.fusedForm().orElse(null) : null;
            steps.add(new Step(order.get(i).getKey(), module, fused));
            if (fused != null) {
                i++;
            }
        }
        return List.copyOf(steps);
    }

    public List<String> childNames() {
        return new ArrayList<>(children.keySet());
    }

    public Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no child named '" + name + "'; have " + children.keySet());
        }
        return m;
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        Params all = Params.empty();
        for (Map.Entry<String, Module> e : children.entrySet()) {
            all = all.merge(e.getValue().init(rng, dtype).prefixed(e.getKey()));
        }
        return all;
    }

    /**
     * Applies the children in order. A Linear directly followed by an activation it can fuse
     * (ReLU, Tanh, Sigmoid) runs as one op with it: the same values, without the intermediate
     * tensors (see {@link Linear#apply(Params, Var, Context, FusedActivation)}).
     */
    @Override
    public Var apply(Params params, Var input, Context ctx) {
        Var x = input;
        for (Step step : steps) {
            Params own = params.child(step.name());
            Context at = ctx.child(step.name());
            x = step.fused() != null ? ((Linear) step.module()).apply(own, x, at, step.fused())
                    : step.module().apply(own, x, at);
        }
        return x;
    }
}
