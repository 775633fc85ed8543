package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A module that starts from pretrained weights: {@link #init} gives every parameter found by
 * name in the weights that value (cast to the requested dtype) and the rest their fresh
 * initialisation, so a pretrained encoder with a new classification head is one module. Weights
 * the module does not use are ignored (a checkpoint of the whole encoder serves any slice).
 */
public final class Pretrained implements Module {
    private final Module module;
    private final Map<String, Tensor> weights;

    public Pretrained(Module module, Map<String, Tensor> weights) {
        this.module = module;
        this.weights = Map.copyOf(weights);
    }

    public Module module() {
        return module;
    }

    /**
     * The names of {@code module}'s parameters that the weights do not provide (initialised fresh).
     * Initialises the module once to learn its names: for inspection, not for a hot path.
     */
    public List<String> freshNames(DType dtype) {
        List<String> fresh = new ArrayList<>();
        for (String name : module.init(new Rng(0), dtype).names()) {
            if (!weights.containsKey(name)) {
                fresh.add(name);
            }
        }
        return fresh;
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        Params fresh = module.init(rng, dtype);
        if (fresh.names().stream().noneMatch(weights::containsKey)) {
            throw new IllegalArgumentException("Pretrained: none of the module's parameters " + fresh.names()
                    + " is among the weights' names");
        }
        return fresh.mapNamed((name, v) -> {
            Tensor w = weights.get(name);
            if (w == null) {
                return v;
            }
            if (!w.shape().equals(v.shape())) {
                throw new IllegalArgumentException("Pretrained: weight '" + name + "' is " + w.shape()
                        + " but the module's parameter is " + v.shape());
            }
            return Var.leaf(w.cast(dtype).copy());
        });
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return module.apply(params, input, ctx);
    }
}
