package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums the captures of forward and backward passes into KFAC's factors: A as the mean of all
 * input rows reported, G as the sum of the output-gradient Gram matrices at the scales the
 * passes report (which already carry each batch's weight in the union, MATH.md section 6).
 */
final class FactorSums implements FactorEstimator.Sink {
    private final WeightSharing sharing;
    private final DType dtype;
    private final Device device;
    private final Map<String, FactorAccumulator> aSums = new LinkedHashMap<>();
    private final Map<String, Long> aRows = new LinkedHashMap<>();
    private final Map<String, FactorAccumulator> gSums = new LinkedHashMap<>();

    FactorSums(WeightSharing sharing, DType dtype, Device device) {
        this.sharing = sharing;
        this.dtype = dtype;
        this.device = device;
    }

    @Override
    public void input(LayerBlock block, PositionRows rows) {
        Tensor x = sharing == WeightSharing.EXPAND ? rows.expanded() : rows.meanOverPositions();
        aSums.computeIfAbsent(block.path(), p -> new FactorAccumulator(block.inDim(), dtype, device)).add(x, 1.0);
        aRows.merge(block.path(), (long) x.dim(0), Long::sum);
    }

    @Override
    public void outputGradient(LayerBlock block, PositionRows rows, double scale) {
        Tensor g = sharing == WeightSharing.EXPAND ? rows.expanded() : rows.sumOverPositions();
        gSums.computeIfAbsent(block.path(), p -> new FactorAccumulator(block.outDim(), dtype, device)).add(g, scale);
    }

    FactorMatrix a(LayerBlock block) {
        return aSums.get(block.path()).result(1.0 / aRows.get(block.path()));
    }

    FactorMatrix g(LayerBlock block) {
        FactorAccumulator g = gSums.get(block.path());
        return g == null ? FactorMatrix.dense(Tensor.zeros(device, dtype, Shape.of(block.outDim(), block.outDim()))) : g.result(1.0);
    }
}
