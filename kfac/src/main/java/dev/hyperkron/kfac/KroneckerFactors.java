package dev.hyperkron.kfac;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;

/**
 * The two Kronecker factors of one layer: A over the layer's (bias-augmented) inputs and G over
 * its output gradients, so that the layer's curvature block is approximated by G kron A
 * (MATH.md section 3), plus G alone for a bias kept as its own block.
 */
public final class KroneckerFactors {
    private final LayerBlock block;
    private final Tensor a;
    private final Tensor g;

    KroneckerFactors(LayerBlock block, Tensor a, Tensor g) {
        this.block = block;
        this.a = a;
        this.g = g;
    }

    LayerBlock block() {
        return block;
    }

    /** The layer these factors describe. */
    public CapturedLayer layer() {
        return block.layer();
    }

    /** Input factor A, [inDim, inDim] (inDim includes the bias column when the bias is joint). */
    public Tensor a() {
        return a;
    }

    /** Output-gradient factor G, [out, out]. */
    public Tensor g() {
        return g;
    }

    /** Whether the bias is folded into A (joint) rather than a block of its own. */
    public boolean jointBias() {
        return block.jointBias();
    }

    /** Number of stored values, dim(A)^2 + dim(G)^2. */
    public long storedElements() {
        return (long) a.size() + g.size();
    }
}
