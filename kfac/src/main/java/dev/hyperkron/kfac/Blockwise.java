package dev.hyperkron.kfac;

import dev.hyperkron.core.Tensor;
import java.util.List;
import java.util.function.Consumer;

/**
 * Assembles the result of a block-diagonal map over layers: each layer writes its own blocks,
 * and the blocks that belong to no layer pass through scaled by a constant (their identity
 * curvature block, possibly damped).
 */
final class Blockwise {
    private Blockwise() {
    }

    /**
     * @param layers         writes every covered block of the result into the array it receives
     * @param uncoveredScale the factor applied to blocks outside every layer
     */
    static ParamVector apply(ParamVector layout, ParamVector v, List<Integer> uncovered, double uncoveredScale,
                             Consumer<Tensor[]> layers) {
        layout.requireAligned(v);
        Tensor[] out = new Tensor[v.numBlocks()];
        layers.accept(out);
        for (int i : uncovered) {
            out[i] = uncoveredScale == 1 ? v.block(i) : v.block(i).mul(uncoveredScale);
        }
        return ParamVector.of(v.names(), List.of(out));
    }
}
