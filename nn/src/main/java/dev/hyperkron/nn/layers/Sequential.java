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
import java.util.Optional;

/** Modules applied in order; child i (or a given name) owns the parameters under "name.". */
public final class Sequential implements Module {
    private final LinkedHashMap<String, Module> children;

    /** Children named "0", "1", ... as in PyTorch. */
    public Sequential(Module... modules) {
        this.children = new LinkedHashMap<>();
        for (int i = 0; i < modules.length; i++) {
            children.put(Integer.toString(i), modules[i]);
        }
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
        List<Map.Entry<String, Module>> order = new ArrayList<>(children.entrySet());
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i).getKey();
            Module module = order.get(i).getValue();
            Optional<FusedActivation> next = i + 1 < order.size() && order.get(i + 1).getValue() instanceof Activation a
                    ? a.fusedForm() : Optional.empty();
            if (module instanceof Linear linear && next.isPresent()) {
                x = linear.apply(params.child(name), x, ctx.child(name), next.get());
                i++;
            } else {
                x = module.apply(params.child(name), x, ctx.child(name));
            }
        }
        return x;
    }
}
