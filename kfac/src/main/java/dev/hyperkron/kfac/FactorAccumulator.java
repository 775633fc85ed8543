package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums weighted outer products w X^T X of blocks of rows X [k, n] into a {@link FactorMatrix}:
 * keeps the rows while they are cheaper than the dense sum, and switches to the dense sum (once,
 * for good) when they are not.
 */
final class FactorAccumulator {
    private final int dim;
    private final DType dtype;
    private final Device device;
    private final List<Tensor> blocks = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private long rowCount;
    private Tensor dense;

    FactorAccumulator(int dim, DType dtype, Device device) {
        this.dim = dim;
        this.dtype = dtype;
        this.device = device;
    }

    /** Adds weight X^T X for rows X [k, dim] (weight >= 0). */
    void add(Tensor x, double weight) {
        Tensor rows = x.cast(dtype);
        if (dense == null && FactorMatrix.rowsPay(dim, rowCount + rows.dim(0))) {
            blocks.add(rows);
            weights.add(weight);
            rowCount += rows.dim(0);
            return;
        }
        if (dense == null) {
            dense = Tensor.zeros(device, dtype, Shape.of(dim, dim));
            for (int i = 0; i < blocks.size(); i++) {
                addGram(blocks.get(i), weights.get(i));
            }
            blocks.clear();
            weights.clear();
        }
        addGram(rows, weight);
    }

    private void addGram(Tensor rows, double weight) {
        dense.axpyInPlace(weight, rows.matmul(rows, true, false));
    }

    /** scale times the sum so far; the zero matrix if nothing was added. */
    FactorMatrix result(double scale) {
        if (dense != null) {
            return FactorMatrix.dense(dense.mul(scale));
        }
        if (blocks.isEmpty()) {
            return FactorMatrix.dense(Tensor.zeros(device, dtype, Shape.of(dim, dim)));
        }
        Tensor[] scaled = new Tensor[blocks.size()];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = blocks.get(i).mul(Math.sqrt(weights.get(i) * scale));
        }
        return FactorMatrix.ofRows(scaled.length == 1 ? scaled[0] : Tensor.concat(0, scaled));
    }
}
