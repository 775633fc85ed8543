package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Projection;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * A bilevel problem over a classifier, built from parts instead of written from scratch: the
 * inner loss is the (per-example weighted) cross-entropy of the training batches plus L2, the
 * outer loss the cross-entropy of the validation batches; the outer variable, how it weighs the
 * examples, and its projection are what the user supplies. Batches are drawn per role with their
 * state checkpointed, and the inner loss is one {@link dev.hyperkron.bilevel.SupervisedLoss}, so
 * KFAC and the exact loss cannot disagree.
 *
 * <pre>{@code
 * BilevelProblem p = SupervisedProblem.builder(model, train, validation, test)
 *         .outer("classWeights", Tensor.zeros(DType.F32, 10))
 *         .exampleWeights((batch, lambda) -> lambda.get("classWeights").softplus().indexSelect(0, batch.labels()))
 *         .weightDecay(1e-3).batchSize(128).seed(1).build();
 * }</pre>
 */
public final class SupervisedProblem extends ClassifierProblem {
    private final Params initialOuter;
    private final BiFunction<Batch, Params, Var> exampleWeights;
    private final Projection projection;
    private final double weightDecay;

    private SupervisedProblem(Builder b) {
        super(new Classifier(b.model, new RoleSamplers(prepared(b.train, b.dtype, b.device), b.batchSize,
                prepared(b.validation, b.dtype, b.device), b.batchSize, new Rng(b.seed)),
                prepared(b.test, b.dtype, b.device)), b.dtype, b.device);
        this.initialOuter = Params.leaves(b.outer.keySet().stream().toList(),
                b.outer.values().stream().map(t -> t.cast(b.dtype).to(b.device)).toList());
        this.exampleWeights = b.exampleWeights;
        this.projection = b.projection;
        this.weightDecay = b.weightDecay;
    }

    /** A problem on these data sets; every batch is the whole set unless {@link Builder#batchSize} says otherwise. */
    public static Builder builder(Module model, Dataset train, Dataset validation, Dataset test) {
        return new Builder(model, train, validation, test);
    }

    @Override
    public Params initialOuter() {
        return initialOuter.asLeaves();
    }

    @Override
    public InnerObjective inner(Role role) {
        Batch batch = classifier.next(role);
        var loss = classifier.innerLoss(batch).regularizedBy(Regularizer.l2(weightDecay));
        return exampleWeights == null ? loss : loss.weightedBy(lambda -> exampleWeights.apply(batch, lambda));
    }

    @Override
    public Params project(Params lambda) {
        return projection.apply(lambda);
    }

    /** How much of lambda the projection holds at a bound (empty without bounds). */
    @Override
    public OptionalDouble pinnedFraction(Params lambda) {
        return projection.equals(Projection.none()) ? OptionalDouble.empty()
                : OptionalDouble.of(projection.fractionAtBound(lambda));
    }

    /** Test loss and accuracy of the classifier. */
    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        return classifier.testMetrics(theta);
    }

    /** Configures a {@link SupervisedProblem}. */
    public static final class Builder {
        private final Module model;
        private final Dataset train;
        private final Dataset validation;
        private final Dataset test;
        private final Map<String, Tensor> outer = new LinkedHashMap<>();
        private BiFunction<Batch, Params, Var> exampleWeights;
        private Projection projection = Projection.none();
        private double weightDecay;
        private int batchSize = Integer.MAX_VALUE;
        private DType dtype = DType.F32;
        private Device device = Device.host();
        private long seed;

        private Builder(Module model, Dataset train, Dataset validation, Dataset test) {
            this.model = Objects.requireNonNull(model, "model");
            this.train = Objects.requireNonNull(train, "train");
            this.validation = Objects.requireNonNull(validation, "validation");
            this.test = Objects.requireNonNull(test, "test");
        }

        /** An outer variable with its initial value (add several for several variables). */
        public Builder outer(String name, Tensor initial) {
            if (outer.put(name, Objects.requireNonNull(initial, name)) != null) {
                throw new IllegalArgumentException("outer variable '" + name + "' is declared twice");
            }
            return this;
        }

        /**
         * The per-example weights of a training batch as a function of lambda ([batch size],
         * non-negative): e.g. lambda's entry per example picked by {@code batch.positions()}, or per
         * class by {@code batch.labels()}. Without it the inner loss is unweighted.
         */
        public Builder exampleWeights(BiFunction<Batch, Params, Var> weights) {
            this.exampleWeights = Objects.requireNonNull(weights, "weights");
            return this;
        }

        /**
         * Bounds lambda after each outer step (default: none); the trainer warns when they pin most
         * of lambda (see {@link dev.hyperkron.bilevel.BilevelProblem#pinnedFraction}).
         */
        public Builder projection(Projection p) {
            this.projection = Objects.requireNonNull(p, "projection");
            return this;
        }

        /** The inner L2 coefficient c of (c/2) ||theta||^2 (default 0). */
        public Builder weightDecay(double c) {
            this.weightDecay = Require.finiteNonNegative("weight decay", c);
            return this;
        }

        /** The batch size of every role (default: the whole data set). */
        public Builder batchSize(int size) {
            this.batchSize = Require.atLeast("batch size", size, 1);
            return this;
        }

        /** Where the parameters, lambda and features live (default: the host); see DataHypercleaning's. */
        public Builder device(Device d) {
            this.device = Objects.requireNonNull(d, "device");
            return this;
        }

        public Builder dtype(DType d) {
            this.dtype = Objects.requireNonNull(d, "dtype");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public SupervisedProblem build() {
            if (outer.isEmpty()) {
                throw new IllegalStateException("declare at least one outer variable with outer(name, initial value)");
            }
            return new SupervisedProblem(this);
        }
    }
}
