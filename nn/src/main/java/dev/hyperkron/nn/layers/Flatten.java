package dev.hyperkron.nn.layers;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.nn.Context;
import dev.hyperkron.autodiff.Params;

/** [N, ...] to [N, product of the rest]: from images to features. */
public final class Flatten implements Parameterless {
    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (input.rank() < 1) {
            throw new IllegalArgumentException("Flatten at '" + ctx.path() + "' needs a batch axis, got a scalar");
        }
        return input.reshape(input.dim(0), -1);
    }
}
