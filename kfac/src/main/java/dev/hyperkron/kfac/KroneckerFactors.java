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
    private final FactorMatrix a;
    private final FactorMatrix g;

    KroneckerFactors(LayerBlock block, FactorMatrix a, FactorMatrix g) {
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

    /**
     * Input factor A, [inDim, inDim] (inDim includes the bias column when the bias is joint);
     * computed on each call when A is held as the rows of its outer products.
     */
    public Tensor a() {
        return a.toDense();
    }

    /** Output-gradient factor G, [out, out]; computed on each call when G is held as rows. */
    public Tensor g() {
        return g.toDense();
    }

    FactorMatrix aMatrix() {
        return a;
    }

    FactorMatrix gMatrix() {
        return g;
    }

    /** Whether the bias is folded into A (joint) rather than a block of its own. */
    public boolean jointBias() {
        return block.jointBias();
    }

    /** Number of stored values: dim^2 per dense factor, rows x dim per factor held as rows. */
    public long storedElements() {
        return a.storedElements() + g.storedElements();
    }
}
