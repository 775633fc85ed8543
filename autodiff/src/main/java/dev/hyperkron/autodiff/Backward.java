package dev.hyperkron.autodiff;

/**
 * The backward rule of one recorded op: given the gradient with respect to the op's output,
 * the gradients with respect to its inputs (null where an input needs none). Rules are
 * written with {@link Var} ops, so a backward pass run while recording is itself differentiable.
 */
@FunctionalInterface
interface Backward {
    /**
     * @param grad gradient of the differentiated quantity with respect to {@code out}
     * @param out  the op's output (lets rules reuse it, e.g. d exp(x) = exp(x) dx)
     * @param need which inputs lie on a path to a requested gradient; rules skip the others
     * @return one entry per input, in input order (null where not needed)
     */
    Var[] apply(Var grad, Var out, boolean[] need);
}
