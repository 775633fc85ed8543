package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Data hypercleaning: learn one weight in [0, 1] per (noisy) training example so that a model
 * trained on the weighted loss does well on a clean validation set. Inner loss
 * g = (1/B) sum_i w_i CE_i + (c/2) ||theta||^2 on training batches; outer loss f = mean CE on
 * validation batches; weights start at 0.5 and are clamped to [0, 1]. Examples whose weight
 * falls below a threshold are flagged as corrupted, which the metrics score against the
 * true corruption mask.
 */
public final class DataHypercleaning extends ClassifierProblem {
    /** Name of the outer variable: the per-example weights, [N]. */
    public static final String WEIGHTS = "weights";

    private final Dataset train;
    private final Tensor corrupted;
    private final double initialWeight;
    private final double weightDecay;
    private final double threshold;

    private DataHypercleaning(Builder b) {
        this(b, prepared(b.train, b.dtype, b.device));
    }

    /** With the training set prepared once, so that a device holds one copy of it. */
    private DataHypercleaning(Builder b, Dataset train) {
        super(new Classifier(b.model, new RoleSamplers(train, b.trainBatch,
                prepared(b.validation, b.dtype, b.device), b.validationBatch, new Rng(b.seed)),
                prepared(b.test, b.dtype, b.device)), b.dtype, b.device);
        this.train = train;
        this.corrupted = b.corrupted;
        this.initialWeight = b.initialWeight;
        this.weightDecay = b.weightDecay;
        this.threshold = b.threshold;
    }

    /**
     * A hypercleaning problem for {@code model} on a noisy training set (with its corruption mask,
     * 1 where the label was changed), a clean validation set and a test set.
     */
    public static Builder builder(Module model, Dataset noisyTrain, Tensor corruptedMask, Dataset validation, Dataset test) {
        return new Builder(model, noisyTrain, corruptedMask, validation, test);
    }

    public Module model() {
        return classifier.model();
    }

    public Dataset train() {
        return train;
    }

    @Override
    public Params initialOuter() {
        return Params.single(WEIGHTS, Var.leaf(Tensor.full(device, dtype, initialWeight, Shape.of(train.size()))));
    }

    @Override
    public InnerObjective inner(Role role) {
        Batch batch = classifier.next(role);
        return classifier.innerLoss(batch)
                .weightedBy(lambda -> lambda.get(WEIGHTS).indexSelect(0, batch.positions()))
                .regularizedBy(Regularizer.l2(weightDecay));
    }

    /** Weights clamped to [0, 1]. */
    @Override
    public Params project(Params lambda) {
        return lambda.map(w -> Var.leaf(w.value().clamp(0, 1)));
    }

    /**
     * Test loss and accuracy, and how well low weights flag the corrupted examples: precision,
     * recall and F1 (0 when undefined), and the fraction flagged.
     */
    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        Map<String, Double> m = classifier.testMetrics(theta);
        m.putAll(cleaningScores(lambda.get(WEIGHTS).value()));
        return m;
    }

    /** Precision, recall, F1 and flagged fraction of "weight < threshold" against the corruption mask. */
    public Map<String, Double> cleaningScores(Tensor weights) {
        Tensor flagged = weights.to(Device.host()).lt(threshold).cast(DType.F64);
        Tensor truth = corrupted.cast(DType.F64);
        double truePositives = flagged.mul(truth).sum().item();
        double flaggedCount = flagged.sum().item();
        double corruptedCount = truth.sum().item();
        double precision = flaggedCount == 0 ? 0 : truePositives / flaggedCount;
        double recall = corruptedCount == 0 ? 0 : truePositives / corruptedCount;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", f1);
        m.put("flagged", flaggedCount / weights.size());
        return m;
    }

    /** Configures a {@link DataHypercleaning} problem. */
    public static final class Builder {
        private final Module model;
        private final Dataset train;
        private final Tensor corrupted;
        private final Dataset validation;
        private final Dataset test;
        private DType dtype = DType.F32;
        private Device device = Device.host();
        private int trainBatch = Integer.MAX_VALUE;
        private int validationBatch = Integer.MAX_VALUE;
        private double initialWeight = 0.5;
        private double weightDecay = 0;
        private double threshold = 0.5;
        private long seed = 0;

        private Builder(Module model, Dataset train, Tensor corrupted, Dataset validation, Dataset test) {
            if (corrupted.rank() != 1 || corrupted.dim(0) != train.size()) {
                throw new IllegalArgumentException("the corruption mask must have one entry per training example ("
                        + train.size() + "), got " + corrupted.shape());
            }
            this.model = model;
            this.train = train;
            this.corrupted = corrupted;
            this.validation = validation;
            this.test = test;
        }

        public Builder dtype(DType d) {
            this.dtype = d;
            return this;
        }

        /**
         * Where the model's parameters, the weights and the features live (default: the host). On
         * an accelerator's device the inner steps, hypergradients and outer steps run there.
         */
        public Builder device(Device d) {
            this.device = Objects.requireNonNull(d, "device");
            return this;
        }

        /** Training batch size for the inner, curvature and mixed roles (default: the whole set). */
        public Builder trainBatch(int size) {
            this.trainBatch = positive("trainBatch", size);
            return this;
        }

        /** Validation batch size for the outer role (default: the whole set). */
        public Builder validationBatch(int size) {
            this.validationBatch = positive("validationBatch", size);
            return this;
        }

        public Builder initialWeight(double w) {
            if (!(w >= 0 && w <= 1)) {
                throw new IllegalArgumentException("initial weight must be in [0, 1], got " + w);
            }
            this.initialWeight = w;
            return this;
        }

        /** Inner L2 coefficient c in (c/2) ||theta||^2 (keeps the inner problem strongly convex). */
        public Builder weightDecay(double c) {
            if (!(c >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + c);
            }
            this.weightDecay = c;
            return this;
        }

        /** Weights below this value flag an example as corrupted (default 0.5, the initial weight). */
        public Builder threshold(double t) {
            this.threshold = t;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public DataHypercleaning build() {
            return new DataHypercleaning(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
