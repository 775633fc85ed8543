package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;

/** How a sequence classifier turns hidden states [N, T, H] into one vector per sequence [N, H]. */
public enum Pooling {
    /** The state of the first position (the [CLS] token), as BERT's classifiers use. */
    CLS,
    /** The mean over real positions, as sentence-transformers embed sentences. */
    MEAN;

    /** Pools states [N, T, H] whose real positions are given by mask [N, T]. */
    public Var pool(Var states, Tensor mask) {
        int n = states.dim(0);
        int h = states.dim(2);
        if (this == CLS) {
            return states.slice(1, 0, 1).reshape(n, h);
        }
        Tensor m = mask.cast(states.dtype());
        Tensor counts = m.sum(1, true);
        if (counts.min().item() == 0) {
            throw new IllegalArgumentException("mean pooling: a sequence in the batch has no real position");
        }
        Var weights = Var.constant(m.div(counts).reshape(n, m.dim(1), 1));
        return states.mul(weights).sum(1, false);
    }
}
