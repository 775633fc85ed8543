package dev.hyperkron.autodiff;

/** How a {@link Var} was produced: the op, its inputs, and its backward rule. */
final class Node {
    private final String op;
    private Var[] inputs;
    private Backward backward;

    Node(String op, Var[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    String op() {
        return op;
    }

    Var[] inputs() {
        if (inputs == null) {
            throw freed();
        }
        return inputs;
    }

    boolean isFreed() {
        return inputs == null;
    }

    Var[] backward(Var grad, Var out, boolean[] need) {
        if (backward == null) {
            throw freed();
        }
        Var[] grads = backward.apply(grad, out, need);
        if (grads.length != inputs.length) {
            throw new IllegalStateException("backward rule of '" + op + "' returned " + grads.length
                    + " gradients for " + inputs.length + " inputs");
        }
        return grads;
    }

    /** Drops the inputs and the rule (and with them every saved tensor). */
    void free() {
        inputs = null;
        backward = null;
    }

    private IllegalStateException freed() {
        return new IllegalStateException("the graph through op '" + op + "' was freed by an earlier "
                + "backward pass; pass retainGraph = true to differentiate through it again");
    }
}
