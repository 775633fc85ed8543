package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import java.util.List;
import java.util.Map;

/**
 * A captured layer tied to the entries of a parameter vector: its weight (and bias) viewed as one
 * [out, in] matrix, or [out, in + 1] when the bias is folded into the input factor.
 */
final class LayerBlock {
    private final CapturedLayer layer;
    private final String weightName;
    private final String biasName;
    private final boolean jointBias;
    private final Shape weightShape;
    private final Shape biasShape;

    LayerBlock(CapturedLayer layer, Params domain, boolean jointBias) {
        this.layer = layer;
        this.weightName = requirePresent(domain, layer.weightName(), layer);
        this.biasName = layer.hasBias() ? requirePresent(domain, layer.biasName(), layer) : null;
        this.jointBias = jointBias && layer.hasBias();
        this.weightShape = domain.get(weightName).shape();
        this.biasShape = biasName == null ? null : domain.get(biasName).shape();
        if (weightShape.size() != (long) layer.outFeatures() * layer.inFeatures()) {
            throw new IllegalStateException("layer '" + layer.path() + "': weight " + weightShape + " is not a "
                    + layer.outFeatures() + "x" + layer.inFeatures() + " matrix");
        }
    }

    private static String requirePresent(Params domain, String name, CapturedLayer layer) {
        if (!domain.contains(name)) {
            throw new IllegalArgumentException("layer '" + layer.path() + "' uses parameter '" + name
                    + "', which is not among the parameters " + domain.names());
        }
        return name;
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
        return biasName != null && !jointBias;
    }

    /** Names of the parameters this layer covers. */
    List<String> coveredNames() {
        return biasName == null ? List.of(weightName) : List.of(weightName, biasName);
    }

    /** The [out, inDim] matrix of v's weight block (with the bias as last column when joint). */
    Tensor matrix(Params v) {
        Tensor w = v.value(weightName).reshape(outDim(), layer.inFeatures());
        return jointBias ? Tensor.concat(1, w, v.value(biasName).reshape(outDim(), 1)) : w;
    }

    /** The separate bias block of v as an [out, 1] column. */
    Tensor biasColumn(Params v) {
        return v.value(biasName).reshape(outDim(), 1);
    }

    /** Writes a matrix of the {@link #matrix} layout back into the entries of a result. */
    void putMatrix(Tensor m, Map<String, Tensor> out) {
        if (jointBias) {
            out.put(weightName, m.slice(1, 0, layer.inFeatures()).reshape(weightShape));
            out.put(biasName, m.slice(1, layer.inFeatures(), layer.inFeatures() + 1).reshape(biasShape));
        } else {
            out.put(weightName, m.reshape(weightShape));
        }
    }

    /** Writes a bias column back into the entries of a result. */
    void putBias(Tensor column, Map<String, Tensor> out) {
        out.put(biasName, column.reshape(biasShape));
    }

    /**
     * The layer's input as [N, positions, inDim]: one row per example and weight-sharing
     * position, with a trailing 1 when the bias is joint.
     */
    Tensor inputRows(Tensor captured) {
        Tensor rows = positions(captured);
        if (jointBias) {
            rows = Tensor.concat(2, rows, Tensor.full(rows.device(), rows.dtype(), 1.0, Shape.of(rows.dim(0), rows.dim(1), 1)));
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
