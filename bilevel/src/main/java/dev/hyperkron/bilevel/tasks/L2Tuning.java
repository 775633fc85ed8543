package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Objective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * L2 hyperparameter tuning of a classifier: the weight decays are the outer variables, in log
 * space, either one per parameter tensor (per layer) or one per input feature of the first
 * weight matrix (each column of it). Inner loss g = CE + sum_k exp(lambda_k)/2 ||theta_k||^2
 * + baseDecay/2 ||theta||^2 on training batches (the fixed base decay keeps parameters outside the
 * tuned groups, such as a softmax layer's bias, from leaving the inner Hessian singular); outer
 * loss: CE on validation batches.
 *
 * <p>KFAC-based IHVP methods see the L2 term's curvature as one uniform damping, the mean of
 * exp(lambda): exact when all decays are equal, an approximation otherwise.
 */
public final class L2Tuning implements BilevelProblem {
    /** Prefix of the outer variables' names; followed by a parameter name in per-layer mode. */
    public static final String LOG_DECAY = "logDecay";

    /** Which weights share one decay. */
    public enum Granularity { PER_LAYER, PER_FEATURE }

    private final Classifier classifier;
    private final DType dtype;
    private final Granularity granularity;
    private final double initialLogDecay;
    private final double baseDecay;
    private final List<String> parameterNames;
    private final String firstWeight;
    private final int features;

    public L2Tuning(Module model, Dataset train, Dataset validation, Dataset test, Granularity granularity,
                    double initialLogDecay, double baseDecay, int batchSize, DType dtype, long seed) {
        if (!(baseDecay >= 0)) {
            throw new IllegalArgumentException("base decay must be >= 0, got " + baseDecay);
        }
        this.baseDecay = baseDecay;
        this.dtype = dtype;
        this.granularity = granularity;
        this.initialLogDecay = initialLogDecay;
        this.classifier = new Classifier(model, new RoleSamplers(train.cast(dtype), batchSize, validation.cast(dtype),
                batchSize, new Rng(seed)), test.cast(dtype));
        Params layout = model.init(new Rng(0), dtype);
        this.parameterNames = layout.names();
        this.firstWeight = parameterNames.stream().filter(n -> n.endsWith("weight") && layout.get(n).rank() == 2)
                .findFirst().orElse(null);
        if (granularity == Granularity.PER_FEATURE && firstWeight == null) {
            throw new IllegalArgumentException("per-feature decay needs a model with a 2-D weight matrix");
        }
        this.features = firstWeight == null ? 0 : layout.get(firstWeight).dim(1);
    }

    @Override
    public Params initialInner(Rng rng) {
        return classifier.model().init(rng, dtype);
    }

    @Override
    public Params initialOuter() {
        if (granularity == Granularity.PER_FEATURE) {
            return Params.single(LOG_DECAY, Var.leaf(Tensor.full(dtype, initialLogDecay, features)));
        }
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        for (String p : parameterNames) {
            names.add(LOG_DECAY + "." + p);
            values.add(Tensor.full(dtype, initialLogDecay, 1));
        }
        return Params.leaves(names, values);
    }

    @Override
    public InnerObjective inner(Role role) {
        Batch batch = classifier.next(role);
        return new InnerObjective() {
            @Override
            public Var at(Params theta, Params lambda) {
                Var data = classifier.meanLoss(theta, batch, null).add(penalty(theta, lambda));
                return baseDecay == 0 ? data : data.add(theta.innerProduct(theta).mul(baseDecay / 2));
            }

            @Override
            public Optional<LossBatch> asLossBatch(Params lambda) {
                return Optional.of(classifier.lossBatch(batch, null));
            }

            @Override
            public double regularizerCurvature(Params lambda) {
                double sum = 0;
                int count = 0;
                for (Tensor t : lambda.values()) {
                    sum += t.exp().sum().item();
                    count += t.size();
                }
                return baseDecay + sum / count;
            }
        };
    }

    private Var penalty(Params theta, Params lambda) {
        if (granularity == Granularity.PER_FEATURE) {
            Var w = theta.get(firstWeight);
            return w.square().sum(0, false).mul(lambda.get(LOG_DECAY).exp()).sum().mul(0.5);
        }
        Var total = null;
        for (String p : theta.names()) {
            Var term = theta.get(p).square().sum().mul(lambda.get(LOG_DECAY + "." + p).exp().reshape()).mul(0.5);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    @Override
    public Objective outer() {
        return classifier.validationLoss();
    }

    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        Map<String, Double> m = classifier.testMetrics(theta);
        double sum = 0;
        int count = 0;
        for (Tensor t : lambda.values()) {
            sum += t.sum().item();
            count += t.size();
        }
        m.put("meanLogDecay", sum / count);
        return m;
    }

    @Override
    public List<long[]> samplerState() {
        return classifier.samplerState();
    }

    @Override
    public void restoreSamplerState(List<long[]> state) {
        classifier.restoreSamplerState(state);
    }
}
