package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Eigenvalue-corrected KFAC (George et al. 2018): KFAC's eigenbases Q_A and Q_G with the
 * diagonal in that basis refitted from per-example gradients,
 * s = (1/D) sum_n (Q_G^T dW_n Q_A)^2, so each block is Q_G diag(s) Q_G^T-style:
 * V -> Q_G [s .* (Q_G^T V Q_A)] Q_A^T. Built by {@link KfacOperator.Builder#buildEkfac}.
 * When A is held as rows (fewer examples than inputs), Q_A holds only A's nonzero eigenvectors:
 * every per-example gradient lies in their span, so the scalings elsewhere are exactly zero.
 */
public final class EkfacOperator extends CurvatureOperator {
    private final List<Layer> layers;
    private final List<String> uncovered;

    /** One layer's eigenbases and refitted scalings [out, k], k = columns of Q_A. */
    record Layer(LayerBlock block, KroneckerEigenbasis basis, Tensor scalings) {
        /** Whether Q_A spans only part of the input space (the rest has scaling zero). */
        boolean partialBasis() {
            return basis.qa().dim(1) < basis.qa().dim(0);
        }
    }

    private EkfacOperator(List<Layer> layers, Params domain, List<String> uncovered) {
        super(domain);
        this.layers = List.copyOf(layers);
        this.uncovered = List.copyOf(uncovered);
    }

    /**
     * Eigendecomposes the KFAC factors, then refits the scalings from the inputs and output gradients
     * that {@code refitPass} reports (a second pass over the batches, or a replay of captured ones).
     */
    static EkfacOperator fit(KfacOperator kfac, Consumer<FactorEstimator.Sink> refitPass) {
        Map<String, KroneckerEigenbasis> bases = eigenbases(kfac);
        Refit refit = new Refit(bases, kfac.factors().get(0).aMatrix().dtype());
        refitPass.accept(refit);
        List<Layer> layers = new ArrayList<>();
        for (KroneckerFactors f : kfac.factors()) {
            layers.add(new Layer(f.block(), bases.get(f.block().path()), refit.scalings(f.block())));
        }
        return new EkfacOperator(layers, kfac.domain(), kfac.uncoveredParameters());
    }

    /**
     * EKFAC in the eigenbases of {@code kfac} with given scalings (one [out, k] tensor per layer, in
     * forward order): for refits computed elsewhere, such as the weighted sum of shards' refits
     * {@link KfacOperator.Builder#refitEkfac} made in the same bases.
     */
    public static EkfacOperator withScalings(KfacOperator kfac, List<Tensor> scalings) {
        if (scalings.size() != kfac.factors().size()) {
            throw new IllegalArgumentException("EKFAC has " + kfac.factors().size() + " layers, got " + scalings.size()
                    + " scalings");
        }
        Map<String, KroneckerEigenbasis> bases = eigenbases(kfac);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < scalings.size(); i++) {
            LayerBlock block = kfac.factors().get(i).block();
            KroneckerEigenbasis basis = bases.get(block.path());
            Tensor s = scalings.get(i);
            if (s.rank() != 2 || s.dim(0) != basis.qg().dim(1) || s.dim(1) != basis.qa().dim(1)) {
                throw new IllegalArgumentException("scalings of layer '" + block.path() + "' must be [" + basis.qg().dim(1)
                        + ", " + basis.qa().dim(1) + "], got " + s.shape());
            }
            layers.add(new Layer(block, basis, s));
        }
        return new EkfacOperator(layers, kfac.domain(), kfac.uncoveredParameters());
    }

    private static Map<String, KroneckerEigenbasis> eigenbases(KfacOperator kfac) {
        Map<String, KroneckerEigenbasis> bases = new LinkedHashMap<>();
        for (KroneckerFactors f : kfac.factors()) {
            if (f.block().separateBias()) {
                throw new IllegalArgumentException("EKFAC needs the bias folded into the input factor (jointBias(true)); "
                        + "layer '" + f.layer().path() + "' keeps it separate");
            }
            bases.put(f.block().path(), new KroneckerEigenbasis(FactorEigen.of(FactorMatrix.dense(f.g())).vectors(),
                    FactorEigen.of(f.aMatrix()).vectors()));
        }
        return bases;
    }

    List<Layer> layers() {
        return layers;
    }

    List<String> uncoveredParameters() {
        return uncovered;
    }

    /**
     * The refitted scalings of each covered layer in forward order, [out, k]: k = inDim, or the
     * number of A's nonzero eigenvalues when A is held as rows.
     */
    public List<Tensor> scalings() {
        List<Tensor> s = new ArrayList<>();
        for (Layer l : layers) {
            s.add(l.scalings());
        }
        return s;
    }

    @Override
    public Params apply(Params v) {
        return Blockwise.apply(domain, v, uncovered, 1.0, out -> {
            for (Layer l : layers) {
                l.block().putMatrix(l.basis().scaled(l.block().matrix(v), l.scalings()), out);
            }
        });
    }

    @Override
    public long storedBytes() {
        long n = 0;
        for (Layer l : layers) {
            n += (l.basis().storedElements() + l.scalings().size()) * l.scalings().dtype().byteSize();
        }
        return n;
    }

    /**
     * Accumulates (Q_G^T dW_n Q_A)^2 over examples, from rotated inputs and output gradients. For a
     * layer with one position per example, dW_n is the outer product g_n a_n^T of every
     * back-propagated vector, so sum_n sum_c (g~_nc a~_n^T)^2 = (sum_c g~_nc^2)^T a~_n^2: the
     * squared gradients of all passes are summed first and meet the squared inputs in one product.
     */
    private static final class Refit implements FactorEstimator.Sink {
        private final Map<String, KroneckerEigenbasis> bases;
        private final DType dtype;
        private final Map<String, Tensor> rotatedInputs = new LinkedHashMap<>();
        private final Map<String, Tensor> squaredGradients = new LinkedHashMap<>();
        private final Map<String, Tensor> batchSums = new LinkedHashMap<>();
        private final Map<String, Tensor> totals = new LinkedHashMap<>();

        Refit(Map<String, KroneckerEigenbasis> bases, DType dtype) {
            this.bases = bases;
            this.dtype = dtype;
        }

        @Override
        public void beginBatch(LossBatch batch) {
            rotatedInputs.clear();
            squaredGradients.clear();
            batchSums.clear();
        }

        @Override
        public void input(LayerBlock block, PositionRows rows) {
            // Padded positions are no data: zero inputs leave them out of every per-example gradient.
            rotatedInputs.put(block.path(), rows.zeroPadded().cast(dtype).matmul(bases.get(block.path()).qa())); // [N, L, k]
        }

        @Override
        public void outputGradient(LayerBlock block, PositionRows rows, double scale) {
            Tensor g = rows.rows().cast(dtype).matmul(bases.get(block.path()).qg()); // [N, L, out]
            if (g.dim(1) == 1) {
                Tensor g2 = g.reshape(g.dim(0), g.dim(2)).square().mul(scale);
                squaredGradients.merge(block.path(), g2, Tensor::add);
            } else {
                Tensor squares = g.matmul(rotatedInputs.get(block.path()), true, false).square().sum(0, false);
                batchSums.merge(block.path(), squares.mul(scale), Tensor::add); // sum_n (G_n^T A_n)^2
            }
        }

        @Override
        public void endBatch() {
            squaredGradients.forEach((path, g2) -> {
                Tensor a = rotatedInputs.get(path);
                Tensor a2 = a.reshape(a.dim(0), a.dim(2)).square();
                batchSums.merge(path, g2.matmul(a2, true, false), Tensor::add);
            });
            // The scales of the passes already carry each batch's weight in the union.
            batchSums.forEach((path, s) -> totals.merge(path, s, Tensor::add));
        }

        Tensor scalings(LayerBlock block) {
            Tensor s = totals.get(block.path());
            Tensor qa = bases.get(block.path()).qa();
            return s == null ? Tensor.zeros(qa.device(), dtype, Shape.of(block.outDim(), qa.dim(1))) : s;
        }
    }
}
