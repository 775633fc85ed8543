package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * L2 hyperparameter tuning of a classifier: the weight decays are the outer variables, in log
 * space, either one per parameter tensor (per layer) or one per input feature of the first
 * weight matrix (each column of it). Inner loss g = CE + sum_k exp(lambda_k)/2 ||theta_k||^2
 * + baseDecay/2 ||theta||^2 on training batches (the fixed base decay keeps parameters outside the
 * tuned groups, such as a softmax layer's bias, from leaving the inner Hessian singular); outer
 * loss: CE on validation batches.
 *
 * <p>KFAC-based IHVP methods see the L2 term's curvature as one uniform damping, the mean of the
 * diagonal of its Hessian (the multiple of the identity nearest to it): exact when all decays are
 * equal and cover every parameter, an approximation otherwise.
 */
public final class L2Tuning extends ClassifierProblem {
    /** Prefix of the outer variables' names; followed by a parameter name in per-layer mode. */
    public static final String LOG_DECAY = "logDecay";

    /** Which weights share one decay. */
    public enum Granularity { PER_LAYER, PER_FEATURE }

    private final Granularity granularity;
    private final double initialLogDecay;
    private final double baseDecay;
    private final Params layout;
    private final List<String> parameterNames;
    private final String firstWeight;
    private final int features;

    /** A tuning problem on the host. */
    public L2Tuning(Module model, Dataset train, Dataset validation, Dataset test, Granularity granularity,
                    double initialLogDecay, double baseDecay, int batchSize, DType dtype, long seed) {
        this(model, train, validation, test, granularity, initialLogDecay, baseDecay, batchSize, dtype, seed,
                Device.host());
    }

    /** The same with the parameters, the decays and the features on {@code device}. */
    public L2Tuning(Module model, Dataset train, Dataset validation, Dataset test, Granularity granularity,
                    double initialLogDecay, double baseDecay, int batchSize, DType dtype, long seed, Device device) {
        super(new Classifier(model, new RoleSamplers(prepared(train, dtype, device), batchSize,
                prepared(validation, dtype, device), batchSize, new Rng(seed)), prepared(test, dtype, device)), dtype,
                device);
        this.baseDecay = Require.finiteNonNegative("base decay", baseDecay);
        this.granularity = granularity;
        this.initialLogDecay = initialLogDecay;
        this.layout = model.init(new Rng(0), dtype).zerosLike();
        this.parameterNames = layout.names();
        this.firstWeight = parameterNames.stream().filter(n -> n.endsWith("weight") && layout.get(n).rank() == 2)
                .findFirst().orElse(null);
        if (granularity == Granularity.PER_FEATURE && firstWeight == null) {
            throw new IllegalArgumentException("per-feature decay needs a model with a 2-D weight matrix");
        }
        this.features = firstWeight == null ? 0 : layout.get(firstWeight).dim(1);
    }

    @Override
    public Params initialOuter() {
        if (granularity == Granularity.PER_FEATURE) {
            return Params.single(LOG_DECAY, Var.leaf(Tensor.full(device, dtype, initialLogDecay, Shape.of(features))));
        }
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        for (String p : parameterNames) {
            names.add(LOG_DECAY + "." + p);
            values.add(Tensor.full(device, dtype, initialLogDecay, Shape.of(1)));
        }
        return Params.leaves(names, values);
    }

    @Override
    public InnerObjective inner(Role role) {
        return classifier.innerLoss(classifier.next(role)).regularizedBy(new Regularizer() {
            @Override
            public Var at(Params theta, Params lambda) {
                Var base = Regularizer.l2(baseDecay).at(theta, lambda);
                return base == null ? penalty(theta, lambda) : penalty(theta, lambda).add(base);
            }

            /** The mean of the diagonal of the penalty's Hessian (each decay counted once per weight it scales). */
            @Override
            public double curvature(Params lambda) {
                double diagonal;
                if (granularity == Granularity.PER_FEATURE) {
                    diagonal = layout.get(firstWeight).dim(0) * lambda.value(LOG_DECAY).exp().sum().item();
                } else {
                    diagonal = 0;
                    for (String p : parameterNames) {
                        diagonal += layout.get(p).size() * lambda.value(LOG_DECAY + "." + p).exp().item();
                    }
                }
                return baseDecay + diagonal / layout.numel();
            }
        });
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
}
