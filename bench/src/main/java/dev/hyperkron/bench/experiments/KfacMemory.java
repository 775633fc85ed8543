package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.EkfacInverse;
import dev.hyperkron.kfac.EkfacOperator;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.KfacOperator;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import java.util.List;

/**
 * How many values KFAC-type curvature holds for a model, next to its parameter count: the factors,
 * their inverses (heuristic and exact damping) and EKFAC, computed from one batch of random
 * inputs (storage depends on the layer shapes and, where a factor is stored in low-rank form, on
 * the number of examples).
 *
 * @param model        model description
 * @param parameters   parameter count n
 * @param factors      values KfacOperator holds (its measured bytes / 4, F32)
 * @param heuristic    values KfacInverse (heuristic damping) holds
 * @param exact        values KfacInverse (exact damping) holds
 * @param ekfac        values EkfacOperator holds
 * @param ekfacInverse values EkfacInverse holds (its scalings plus the EKFAC operator it applies)
 */
public record KfacMemory(String model, long parameters, long factors, long heuristic, long exact, long ekfac,
                         long ekfacInverse) {

    /** Measures the model on a batch of {@code batch} standard-normal examples of the given shape with random labels. */
    public static KfacMemory of(String description, Module module, Shape example, int classes, int batch, long seed) {
        Rng rng = new Rng(seed);
        Params params = module.init(rng, DType.F32);
        int[] dims = new int[example.rank() + 1];
        dims[0] = batch;
        System.arraycopy(example.dims(), 0, dims, 1, example.rank());
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(classes);
        }
        List<LossBatch> batches = List.of(LossBatch.of(module, Tensor.randn(rng, DType.F32, dims), Tensor.of(labels, batch),
                new CrossEntropyLoss()));
        KfacOperator kfac = KfacOperator.builder(params).build(batches);
        EkfacOperator ekfac = KfacOperator.builder(params).buildEkfac(batches);
        double damping = 1e-3;
        long f32 = DType.F32.byteSize();
        return new KfacMemory(description, params.numel(), kfac.storedBytes() / f32,
                KfacInverse.of(kfac, damping, KfacInverse.Damping.HEURISTIC, 0).storedBytes() / f32,
                KfacInverse.of(kfac, damping, KfacInverse.Damping.EXACT, 0).storedBytes() / f32, ekfac.storedBytes() / f32,
                EkfacInverse.of(ekfac, damping).storedBytes() / f32);
    }
}
