package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Assembles the result of a block-diagonal map over layers: each layer writes its own entries,
 * and the entries that belong to no layer pass through scaled by a constant (their identity
 * curvature block, possibly damped).
 */
final class Blockwise {
    private Blockwise() {
    }

    /**
     * @param layers         writes every covered entry of the result into the map it receives
     * @param uncoveredScale the factor applied to entries outside every layer
     */
    static Params apply(Params domain, Params v, List<String> uncovered, double uncoveredScale,
                        Consumer<Map<String, Tensor>> layers) {
        domain.requireAligned(v);
        Map<String, Tensor> out = new HashMap<>();
        layers.accept(out);
        for (String name : uncovered) {
            out.put(name, uncoveredScale == 1 ? v.value(name) : v.value(name).mul(uncoveredScale));
        }
        List<Tensor> values = new ArrayList<>(domain.size());
        for (String name : domain.names()) {
            values.add(out.get(name));
        }
        return Params.constants(domain.names(), values);
    }
}
