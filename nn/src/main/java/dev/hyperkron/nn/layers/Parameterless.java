package dev.hyperkron.nn.layers;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/** A module without parameters (activations, pooling, reshaping). */
interface Parameterless extends Module {
    @Override
    default Params init(Rng rng, DType dtype) {
        return Params.empty();
    }
}
