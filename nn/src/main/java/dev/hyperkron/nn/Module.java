package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;

/**
 * A description of a computation whose parameters live outside it, in {@link Params}. The same
 * module runs with any Params of the right names and shapes, which is what unrolled
 * differentiation and hypergradients need: no hidden weights, no copies of modules.
 */
public interface Module {

    /** Fresh parameters, named relative to this module, with PyTorch's default initialisation. */
    Params init(Rng rng, DType dtype);

    /** Runs the module on {@code input} with the given parameters. */
    Var apply(Params params, Var input, Context ctx);
}
