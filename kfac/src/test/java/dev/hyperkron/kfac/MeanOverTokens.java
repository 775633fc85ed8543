package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;

/** [N, T, d] to [N, d] by averaging tokens: a test model for weight sharing over sequences. */
final class MeanOverTokens implements Module {
    @Override
    public Params init(Rng rng, DType dtype) {
        return Params.empty();
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        return input.mean(1, false);
    }
}
