package dev.hyperkron.bench.perf;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.util.List;

/**
 * The fixed cost of one op, apart from its arithmetic: a chain y = y + c of adds on one-element
 * tensors, with and without recording, and the backward pass through the recorded chain.
 */
public final class GraphOverhead {
    private final int length;
    private final Var x = Var.leaf(Tensor.ones(DType.F32, 1));
    private final Var c = Var.constant(Tensor.ones(DType.F32, 1));

    public GraphOverhead(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("graph overhead: the chain needs at least one op, got " + length);
        }
        this.length = length;
    }

    public int length() {
        return length;
    }

    /** The chain, recorded. */
    public Var recordedChain() {
        Var y = x;
        for (int i = 0; i < length; i++) {
            y = y.add(c);
        }
        return y;
    }

    /** The chain inside a NoGrad scope: the same ops, no graph. */
    public Var unrecordedChain() {
        try (NoGrad scope = NoGrad.enter()) {
            return recordedChain();
        }
    }

    /** The backward pass of a freshly recorded chain (recording included; subtract it to get backward alone). */
    public Var recordedChainAndBackward() {
        return Grad.grad(recordedChain(), List.of(x)).get(0);
    }
}
