package dev.hyperkron.kfac;

import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import java.util.List;

/**
 * A captured layer tied to the blocks of a parameter vector: its weight (and bias) viewed as one
 * [out, in] matrix, or [out, in + 1] when the bias is folded into the input factor.
 */
final class LayerBlock {
    private final CapturedLayer layer;
    private final int weightIndex;
    private final int biasIndex;
    private final boolean jointBias;
    private final Shape weightShape;
    private final Shape biasShape;

    LayerBlock(CapturedLayer layer, ParamVector layout, boolean jointBias) {
        this.layer = layer;
        this.weightIndex = indexOf(layout, layer.weightName(), layer);
        this.biasIndex = layer.hasBias() ? indexOf(layout, layer.biasName(), layer) : -1;
        this.jointBias = jointBias && layer.hasBias();
        this.weightShape = layout.block(weightIndex).shape();
        this.biasShape = biasIndex < 0 ? null : layout.block(biasIndex).shape();
        if (weightShape.size() != (long) layer.outFeatures() * layer.inFeatures()) {
            throw new IllegalStateException("layer '" + layer.path() + "': weight " + weightShape + " is not a "
                    + layer.outFeatures() + "x" + layer.inFeatures() + " matrix");
        }
    }

    private static int indexOf(ParamVector layout, String name, CapturedLayer layer) {
        int i = layout.names().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("layer '" + layer.path() + "' uses parameter '" + name
                    + "', which is not among the parameters " + layout.names());
        }
        return i;
    }

    CapturedLayer layer() {
        return layer;
    }

    String path() {
        return layer.path();
    }

    /** Columns of the matrix view: inFeatures, plus one for a joint bias. */
    int inDim() {
        return layer.inFeatures() + (jointBias ? 1 : 0);
    }

    int outDim() {
        return layer.outFeatures();
    }

    boolean jointBias() {
        return jointBias;
    }

    /** Whether the layer has a bias handled as its own block (G only). */
    boolean separateBias() {
        return biasIndex >= 0 && !jointBias;
    }

    /** Indices of the parameter blocks this layer covers. */
    List<Integer> coveredIndices() {
        return biasIndex < 0 ? List.of(weightIndex) : List.of(weightIndex, biasIndex);
    }

    /** The [out, inDim] matrix of v's weight block (with the bias as last column when joint). */
    Tensor matrix(ParamVector v) {
        Tensor w = v.block(weightIndex).reshape(outDim(), layer.inFeatures());
        return jointBias ? Tensor.concat(1, w, v.block(biasIndex).reshape(outDim(), 1)) : w;
    }

    /** The separate bias block of v as an [out, 1] column. */
    Tensor biasColumn(ParamVector v) {
        return v.block(biasIndex).reshape(outDim(), 1);
    }

    /** Writes a matrix of the {@link #matrix} layout back into the blocks array. */
    void putMatrix(Tensor m, Tensor[] blocks) {
        if (jointBias) {
            blocks[weightIndex] = m.slice(1, 0, layer.inFeatures()).reshape(weightShape);
            blocks[biasIndex] = m.slice(1, layer.inFeatures(), layer.inFeatures() + 1).reshape(biasShape);
        } else {
            blocks[weightIndex] = m.reshape(weightShape);
        }
    }

    /** Writes a bias column back into the blocks array. */
    void putBias(Tensor column, Tensor[] blocks) {
        blocks[biasIndex] = column.reshape(biasShape);
    }

    /**
     * The layer's input as [N, positions, inDim]: one row per example and weight-sharing
     * position, with a trailing 1 when the bias is joint.
     */
    Tensor inputRows(Tensor captured) {
        Tensor rows = positions(captured);
        if (jointBias) {
            rows = Tensor.concat(2, rows, Tensor.ones(rows.dtype(), rows.dim(0), rows.dim(1), 1));
        }
        return rows;
    }

    /** The output gradient as [N, positions, out]. */
    Tensor gradientRows(Tensor captured) {
        return positions(captured);
    }

    // Linear: [N, ..., d] -> [N, T, d]; Conv2d: [N, d, L] -> [N, L, d].
    private Tensor positions(Tensor t) {
        if (layer.kind() == CapturedLayer.Kind.CONV2D) {
            return t.permute(0, 2, 1);
        }
        int n = t.dim(0);
        int d = t.dim(-1);
        return t.rank() == 1 ? t.reshape(1, 1, d) : t.reshape(n, -1, d);
    }
}
