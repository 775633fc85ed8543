package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Objective;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.bilevel.SimplexProjection;
import dev.hyperkron.bilevel.SupervisedLoss;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Data poisoning as a bilevel problem (Munoz-Gonzalez et al. 2017, MATH.md section 7): an
 * attacker adds P poison examples to the N clean training examples and moves their features
 * (within a box, intersected with an L-infinity ball of radius epsilon around where they started)
 * and optionally their labels (relaxed to rows of the probability simplex) so that the victim,
 * trained on clean + poison, does badly on clean validation data. The trainer minimizes, so the
 * outer loss is MINUS the mean validation cross-entropy: minimizing it is the attack.
 *
 * <p>Inner loss: g = (1/(N+P)) [(N/B) sum_batch CE_i + sum_p CE_soft(x_p, y_p)] + (c/2)||theta||^2,
 * the victim's mean loss over clean + poison with the clean part estimated from a batch of B.
 * Poison starts as copies of randomly chosen training examples (moved into the box) with their
 * labels flipped to a random other class. The metrics are the victim's test loss and accuracy at theta.
 */
public final class DataPoisoning extends ClassifierProblem {
    /** Name of the outer variable holding the poison features, [P, ...example shape]. */
    public static final String FEATURES = "poisonFeatures";
    /** Name of the outer variable holding the poison's soft labels, [P, C] (only with learned labels). */
    public static final String LABELS = "poisonLabels";

    private final Dataset train;
    private final Dataset validation;
    private final int[] sources;
    private final Tensor startFeatures;
    private final Tensor startLabels;
    private final Tensor lower;
    private final Tensor upper;
    private final boolean learnLabels;
    private final Regularizer regularizer;

    private DataPoisoning(Builder b, Dataset train, Dataset validation, Rng rng) {
        super(new Classifier(b.model, new RoleSamplers(train, b.trainBatch, validation, b.validationBatch, rng.split()),
                prepared(b.test, b.dtype, b.device)), b.dtype, b.device);
        this.train = train;
        this.validation = validation;
        int n = train.size();
        int p = b.resolvedCount(n);
        Rng choice = rng.split();
        this.sources = Arrays.copyOf(choice.permutation(n), p);
        int classes = train.classes();
        long[] flipped = new long[p];
        for (int i = 0; i < p; i++) {
            flipped[i] = (train.label(sources[i]) + 1 + choice.nextInt(classes - 1)) % classes;
        }
        this.startLabels = Tensor.oneHot(Tensor.of(flipped, p), classes, b.dtype).to(device);
        Tensor boxLower = b.boxLower == null ? train.features().min(0, true) : Tensor.full(b.dtype, b.boxLower, 1);
        Tensor boxUpper = b.boxUpper == null ? train.features().max(0, true) : Tensor.full(b.dtype, b.boxUpper, 1);
        // copies moved into the box first, so that the start is feasible and the ball around it meets the box
        this.startFeatures = train.subset(sources).features().maximum(boxLower).minimum(boxUpper);
        this.lower = startFeatures.sub(b.epsilon).maximum(boxLower);
        this.upper = startFeatures.add(b.epsilon).minimum(boxUpper);
        this.learnLabels = b.learnLabels;
        this.regularizer = Regularizer.l2(b.weightDecay);
    }

    /**
     * A poisoning problem against {@code model} trained on {@code train}; the attacker's objective
     * reads {@code validation}, the metrics {@code test}. All three must be clean.
     */
    public static Builder builder(Module model, Dataset train, Dataset validation, Dataset test) {
        return new Builder(model, train, validation, test);
    }

    /** Number of poison examples P. */
    public int poisonCount() {
        return sources.length;
    }

    /** Positions in the training set of the examples the poison started as copies of. */
    public int[] sources() {
        return sources.clone();
    }

    /** The poison as it starts: copied features, and the flipped labels when those are learned. */
    @Override
    public Params initialOuter() {
        if (!learnLabels) {
            return Params.single(FEATURES, Var.leaf(startFeatures));
        }
        return Params.leaves(List.of(FEATURES, LABELS), List.of(startFeatures, startLabels));
    }

    @Override
    public InnerObjective inner(Role role) {
        Batch batch = classifier.next(role);
        return victimLoss(batch.features(), batch.labels());
    }

    /** Minus the mean validation cross-entropy on a fresh validation batch: the attacker maximizes the loss. */
    @Override
    public Objective outer() {
        Objective validationLoss = classifier.validationLoss();
        return (theta, lambda) -> validationLoss.at(theta, lambda).neg();
    }

    /** Features clamped to their bounds (box and epsilon-ball), labels projected onto the simplex row by row. */
    @Override
    public Params project(Params lambda) {
        return lambda.mapNamed((name, v) -> Var.leaf(name.equals(LABELS) ? SimplexProjection.rows(v.value())
                : v.value().maximum(lower).minimum(upper)));
    }

    /** The victim's test loss and accuracy at theta, and how far the poison moved (largest feature change). */
    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        Map<String, Double> m = classifier.testMetrics(theta);
        m.put("poisonShift", lambda.value(FEATURES).sub(startFeatures).abs().max().item());
        return m;
    }

    /** The victim's training loss on every clean example plus the poison lambda describes (full batch). */
    public InnerObjective victimLoss() {
        return victimLoss(train.features(), train.labels());
    }

    /** The victim's training loss on the clean training set alone, mean cross-entropy plus the same L2. */
    public InnerObjective cleanLoss() {
        return SupervisedLoss.of(classifier.model(), train.features(), train.labels(), new CrossEntropyLoss())
                .regularizedBy(regularizer);
    }

    private PoisonedTrainingLoss victimLoss(Tensor cleanFeatures, Tensor cleanLabels) {
        int n = train.size();
        int b = cleanFeatures.dim(0);
        int p = poisonCount();
        double[] w = new double[b + p];
        Arrays.fill(w, 0, b, (double) n / b / (n + p));
        Arrays.fill(w, b, b + p, 1.0 / (n + p));
        Function<Params, Var> labels = learnLabels ? l -> l.get(LABELS) : l -> Var.constant(startLabels);
        return new PoisonedTrainingLoss(classifier.model(), cleanFeatures,
                Tensor.oneHot(cleanLabels, train.classes(), dtype).to(device), l -> l.get(FEATURES), labels,
                Tensor.of(w, b + p).cast(dtype).to(device), regularizer);
    }

    /** The model's test metrics at theta. */
    public ClassificationMetrics evaluate(Params theta) {
        return classifier.evaluate(theta);
    }

    /** The model's mean cross-entropy on the whole validation set at theta. */
    public double validationLoss(Params theta) {
        return ClassificationMetrics.of(classifier.model(), theta, validation).loss();
    }

    /**
     * The training set a victim would receive: the clean examples followed by the poison (features
     * as lambda has them, each label its soft label's most likely class), with a mask that is 1 on
     * the poison, e.g. to score a defense that should flag it. Its example indices are its positions.
     */
    public PoisonedSet poisonedTrainingSet(Params lambda) {
        int n = train.size();
        int p = poisonCount();
        Tensor labels = learnLabels ? lambda.value(LABELS).argmax(1) : startLabels.argmax(1);
        Tensor features = Tensor.concat(0, train.features(), lambda.value(FEATURES).cast(dtype));
        byte[] mask = new byte[n + p];
        Arrays.fill(mask, n, n + p, (byte) 1);
        Dataset examples = Dataset.of(features, Tensor.concat(0, train.labels(), labels.cast(DType.I64)), train.classes());
        return new PoisonedSet(examples, Tensor.of(mask, n + p));
    }

    /**
     * A poisoned training set.
     *
     * @param examples   clean examples first, then the poison
     * @param poisonMask U8 [N + P], 1 on the poison
     */
    public record PoisonedSet(Dataset examples, Tensor poisonMask) {
    }

    /** Configures a {@link DataPoisoning} problem. */
    public static final class Builder {
        private final Module model;
        private final Dataset train;
        private final Dataset validation;
        private final Dataset test;
        private double budget = 0.03;
        private Integer count;
        private double epsilon = Double.POSITIVE_INFINITY;
        private Double boxLower;
        private Double boxUpper;
        private boolean learnLabels;
        private double weightDecay;
        private int trainBatch = Integer.MAX_VALUE;
        private int validationBatch = Integer.MAX_VALUE;
        private DType dtype = DType.F32;
        private Device device = Device.host();
        private long seed;

        private Builder(Module model, Dataset train, Dataset validation, Dataset test) {
            this.model = Objects.requireNonNull(model, "model");
            this.train = Objects.requireNonNull(train, "train");
            this.validation = Objects.requireNonNull(validation, "validation");
            this.test = Objects.requireNonNull(test, "test");
        }

        /** Poison as a fraction of the training set, P = max(1, round(fraction N)) (default 0.03). */
        public Builder budget(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("the poison budget must be a fraction in (0, 1] of the training set, got "
                        + fraction);
            }
            this.budget = fraction;
            this.count = null;
            return this;
        }

        /** Exactly P poison examples (instead of a fraction). */
        public Builder poisonCount(int p) {
            this.count = Require.atLeast("poison count", p, 1);
            return this;
        }

        /** Radius of the L-infinity ball around each poison's start that its features stay in (default: none). */
        public Builder epsilon(double radius) {
            if (!(radius >= 0)) {
                throw new IllegalArgumentException("epsilon must be >= 0 (or infinity for no ball), got " + radius);
            }
            this.epsilon = radius;
            return this;
        }

        /** Every poison feature in [lower, upper] (default: each feature's range over the clean training set). */
        public Builder featureBox(double lower, double upper) {
            if (!(lower <= upper)) {
                throw new IllegalArgumentException("the feature box needs lower <= upper, got [" + lower + ", " + upper + "]");
            }
            this.boxLower = lower;
            this.boxUpper = upper;
            return this;
        }

        /** Whether the poison's labels are outer variables too, relaxed to the simplex (default: fixed flipped labels). */
        public Builder learnLabels(boolean learn) {
            this.learnLabels = learn;
            return this;
        }

        /** The victim's L2 coefficient c in (c/2) ||theta||^2 (default 0). */
        public Builder weightDecay(double c) {
            this.weightDecay = Require.finiteNonNegative("weight decay", c);
            return this;
        }

        /** Clean training examples per inner, curvature and mixed batch (default: all); the poison is in every batch. */
        public Builder trainBatch(int size) {
            this.trainBatch = Require.atLeast("train batch", size, 1);
            return this;
        }

        /** Validation examples per outer batch (default: all). */
        public Builder validationBatch(int size) {
            this.validationBatch = Require.atLeast("validation batch", size, 1);
            return this;
        }

        public Builder dtype(DType d) {
            this.dtype = Objects.requireNonNull(d, "dtype");
            return this;
        }

        /**
         * Where the victim's parameters, the poison and the features live (default: the host); on
         * an accelerator's device the inner steps, hypergradients and outer steps run there.
         */
        public Builder device(Device d) {
            this.device = Objects.requireNonNull(d, "device");
            return this;
        }

        /** Seeds the choice of the poison's sources, their flipped labels and the batch samplers. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        private int resolvedCount(int n) {
            int p = count != null ? count : Math.max(1, (int) Math.round(budget * n));
            if (p > n) {
                throw new IllegalArgumentException("cannot start " + p + " poison examples from " + n + " training examples");
            }
            return p;
        }

        public DataPoisoning build() {
            if (train.classes() < 2) {
                throw new IllegalArgumentException("poisoning flips labels, which needs at least 2 classes, got "
                        + train.classes());
            }
            return new DataPoisoning(this, prepared(train, dtype, device), prepared(validation, dtype, device),
                    new Rng(seed));
        }
    }
}
