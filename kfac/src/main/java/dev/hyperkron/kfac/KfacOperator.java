package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Kronecker-factored curvature: block-diagonal over the Linear and Conv2d layers of a model,
 * each block G kron A, applied as V -> G V A on the layer's weight matrix (MATH.md section 3).
 * Built from one or more batches with {@link #builder}; A and G are means over all examples of
 * the batches, so a batch weighs by its number of examples (MATH.md section 6).
 */
public final class KfacOperator extends CurvatureOperator {
    private final List<KroneckerFactors> factors;
    private final List<String> uncovered;

    private KfacOperator(List<KroneckerFactors> factors, Params domain, List<String> uncovered) {
        super(domain);
        this.factors = List.copyOf(factors);
        this.uncovered = List.copyOf(uncovered);
    }

    /** Starts configuring KFAC for a model's parameters (defaults: TYPE2, EXPAND, joint bias, FAIL on uncovered). */
    public static Builder builder(Params params) {
        return new Builder(params);
    }

    /** The factors of every covered layer, in forward order. */
    public List<KroneckerFactors> factors() {
        return factors;
    }

    /** Names of the parameters outside every factored layer (identity blocks). */
    public List<String> uncoveredParameters() {
        return uncovered;
    }

    /**
     * The same layers with other dense factors A and G (one each per layer, in forward order): for
     * factors fitted elsewhere, such as weighted sums of factors fitted on shards of the data by a
     * distributed engine (with n_s examples of N in shard s, sum_s (n_s/N) A_s is A over all examples).
     */
    public KfacOperator withFactors(List<Tensor> a, List<Tensor> g) {
        if (a.size() != factors.size() || g.size() != factors.size()) {
            throw new IllegalArgumentException("KFAC has " + factors.size() + " layers, got " + a.size() + " input and "
                    + g.size() + " output factors");
        }
        List<KroneckerFactors> replaced = new ArrayList<>();
        for (int i = 0; i < factors.size(); i++) {
            LayerBlock block = factors.get(i).block();
            replaced.add(new KroneckerFactors(block, FactorMatrix.dense(square(a.get(i), block.inDim(), "A", block)),
                    FactorMatrix.dense(square(g.get(i), block.outDim(), "G", block))));
        }
        return new KfacOperator(replaced, domain, uncovered);
    }

    private static Tensor square(Tensor t, int dim, String name, LayerBlock block) {
        if (t.rank() != 2 || t.dim(0) != dim || t.dim(1) != dim) {
            throw new IllegalArgumentException("factor " + name + " of layer '" + block.path() + "' must be [" + dim + ", "
                    + dim + "], got " + t.shape());
        }
        return t;
    }

    @Override
    public Params apply(Params v) {
        return Blockwise.apply(domain, v, uncovered, 1.0, out -> {
            for (KroneckerFactors f : factors) {
                LayerBlock block = f.block();
                block.putMatrix(f.aMatrix().rightMultiply(f.gMatrix().leftMultiply(block.matrix(v))), out);
                if (block.separateBias()) {
                    block.putBias(f.gMatrix().leftMultiply(block.biasColumn(v)), out);
                }
            }
        });
    }

    @Override
    public long storedBytes() {
        long n = 0;
        for (KroneckerFactors f : factors) {
            n += f.storedElements() * f.aMatrix().dtype().byteSize();
        }
        return n;
    }

    /** Configures and computes a {@link KfacOperator}. */
    public static final class Builder {
        private final Params params;
        private FisherType fisherType = FisherType.TYPE2;
        private int mcSamples = 1;
        private Rng rng = new Rng(0);
        private WeightSharing sharing = WeightSharing.EXPAND;
        private boolean jointBias = true;
        private UncoveredPolicy uncoveredPolicy = UncoveredPolicy.FAIL;

        private Builder(Params params) {
            this.params = params;
        }

        public Builder fisherType(FisherType type) {
            this.fisherType = type;
            return this;
        }

        /** Samples per example for the MC Fisher (default 1). */
        public Builder mcSamples(int samples) {
            this.mcSamples = samples;
            return this;
        }

        /** The random stream of the MC Fisher's label sampling. */
        public Builder rng(Rng random) {
            this.rng = random;
            return this;
        }

        public Builder weightSharing(WeightSharing mode) {
            this.sharing = mode;
            return this;
        }

        /** Fold each bias into its weight's input factor (true, default) or keep it as a G-only block. */
        public Builder jointBias(boolean joint) {
            this.jointBias = joint;
            return this;
        }

        public Builder uncovered(UncoveredPolicy policy) {
            this.uncoveredPolicy = policy;
            return this;
        }

        /** Runs the capture passes over the batches and returns the operator. */
        public KfacOperator build(List<LossBatch> batches) {
            FactorEstimator estimator = estimator();
            FactorSums sums = new FactorSums(sharing, params.dtype(), params.device());
            estimator.run(batches, sums);
            return operator(estimator, sums);
        }

        /** KFAC, then its eigenbases with the diagonal refitted by a second pass over the batches (EKFAC). */
        public EkfacOperator buildEkfac(List<LossBatch> batches) {
            return refitEkfac(build(batches), batches);
        }

        /**
         * A capture with these settings, for factors gathered from forward passes the caller runs
         * anyway (an inner loop's training steps); {@link #build(FactorCapture)} then turns it into
         * the operator without passes of its own.
         */
        public FactorCapture capture() {
            return new FactorCapture(estimator(), new FactorSums(sharing, params.dtype(), params.device()));
        }

        /** The operator from a filled capture: A over all its forward passes, G from its backward pass. */
        public KfacOperator build(FactorCapture capture) {
            capture.requireComplete();
            return operator(capture.estimator(), capture.sums());
        }

        /** EKFAC from a filled capture: KFAC's eigenbases, the diagonal refitted on its last forward pass's examples. */
        public EkfacOperator buildEkfac(FactorCapture capture) {
            return EkfacOperator.fit(build(capture), capture::replayLastPass);
        }

        private KfacOperator operator(FactorEstimator estimator, FactorSums sums) {
            List<KroneckerFactors> factors = new ArrayList<>();
            for (LayerBlock block : estimator.blocks()) {
                FactorMatrix g = fisherType == FisherType.FORWARD_ONLY
                        ? FactorMatrix.dense(Tensor.eye(params.dtype(), block.outDim()).to(params.device())) : sums.g(block);
                factors.add(new KroneckerFactors(block, sums.a(block), g));
            }
            return new KfacOperator(factors, estimator.domain(), uncovered(estimator.domain(), estimator.blocks()));
        }

        /**
         * EKFAC in the eigenbases of {@code kfac} (fitted on these or on all examples) with the
         * diagonal refitted over these batches: a shard's refit, so that shards of the data can be
         * refitted apart in one shared basis and their scalings summed (see {@link EkfacOperator#withScalings}).
         */
        public EkfacOperator refitEkfac(KfacOperator kfac, List<LossBatch> batches) {
            FactorEstimator estimator = estimator();
            return EkfacOperator.fit(kfac, refit -> estimator.run(batches, refit));
        }

        private FactorEstimator estimator() {
            return new FactorEstimator(params, fisherType, mcSamples, rng, jointBias);
        }

        private List<String> uncovered(Params domain, List<LayerBlock> blocks) {
            List<String> rest = new ArrayList<>(domain.names());
            for (LayerBlock b : blocks) {
                rest.removeAll(b.coveredNames());
            }
            if (!rest.isEmpty() && uncoveredPolicy == UncoveredPolicy.FAIL) {
                throw new IllegalArgumentException("KFAC covers only Linear and Conv2d (one group) layers; these parameters "
                        + "belong to none: " + rest + ". Use uncovered(UncoveredPolicy.IDENTITY) to give them identity blocks.");
            }
            return rest;
        }
    }
}
