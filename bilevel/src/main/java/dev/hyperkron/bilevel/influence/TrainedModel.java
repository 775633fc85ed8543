package dev.hyperkron.bilevel.influence;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.bilevel.SupervisedLoss;
import dev.hyperkron.core.Require;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model with the objective it was trained on, g(theta) = sum_i w_i l(model(x_i; theta), y_i) / D
 * + (c/2) ||theta||^2 (w_i = 1, D the loss's mean divisor: n for cross-entropy), and parameters
 * theta* that minimize it: the setting influence functions differentiate. The L2 term keeps the
 * Hessian of g positive definite at a minimum, so that H^-1 exists; leave-one-out retraining
 * sets one w_i to 0 and keeps D, which is the removal that the influence predicts to first order.
 */
public final class TrainedModel {
    private final Module model;
    private final Tensor inputs;
    private final Tensor targets;
    private final Loss loss;
    private final double weightDecay;
    private final Params theta;
    private final double exampleShare;

    private TrainedModel(Module model, Tensor inputs, Tensor targets, Loss loss, double weightDecay, Params theta) {
        this.model = Objects.requireNonNull(model, "model");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.weightDecay = Require.finiteNonNegative("weight decay", weightDecay);
        this.theta = theta.detached();
        if (inputs.rank() == 0 || inputs.dim(0) == 0 || targets.rank() == 0 || targets.dim(0) != inputs.dim(0)) {
            throw new IllegalArgumentException("training needs at least one example with one target each, got inputs "
                    + inputs.shape() + " and targets " + targets.shape());
        }
        int outputs = model.apply(this.theta, Var.constant(inputs.slice(0, 0, 1)), Context.eval()).dim(-1);
        this.exampleShare = 1 / loss.meanDivisor(inputs.dim(0), outputs);
    }

    /** The model trained on (inputs, targets) with {@code loss} and L2 coefficient {@code weightDecay}, at {@code theta}. */
    public static TrainedModel of(Module model, Tensor inputs, Tensor targets, Loss loss, double weightDecay,
                                  Params theta) {
        return new TrainedModel(model, inputs, targets, loss, weightDecay, theta);
    }

    /** The same model and objective at other parameters (after more training, say). */
    public TrainedModel at(Params other) {
        theta.requireAligned(other);
        return new TrainedModel(model, inputs, targets, loss, weightDecay, other);
    }

    /** theta*, detached from any graph. */
    public Params theta() {
        return theta;
    }

    /** The number of training examples n. */
    public int size() {
        return inputs.dim(0);
    }

    public Module model() {
        return model;
    }

    /** 1/D: the weight of one example's loss in the training objective (1/n for cross-entropy). */
    public double exampleShare() {
        return exampleShare;
    }

    /** The training objective g over every example, as the IHVP methods take it (its Hessian is H). */
    public SupervisedLoss objective() {
        return SupervisedLoss.of(model, inputs, targets, loss).regularizedBy(Regularizer.l2(weightDecay));
    }

    /** The training objective with example {@code position}'s weight set to 0 (the divisor D kept). */
    public SupervisedLoss objectiveWithout(int position) {
        requirePosition(position);
        double[] w = new double[size()];
        Arrays.fill(w, 1);
        w[position] = 0;
        Var weights = Var.constant(Tensor.of(w, w.length).cast(inputs.dtype()));
        return objective().weightedBy(lambda -> weights);
    }

    /** Refuses a position outside 0..n-1, naming it. */
    void requirePosition(int position) {
        if (position < 0 || position >= size()) {
            throw new IllegalArgumentException("training example " + position + " does not exist: positions run from 0 to "
                    + (size() - 1));
        }
    }

    /** The query's mean loss at {@code at}, recorded so that it can be differentiated. */
    public Var queryLoss(Query query, Params at) {
        Var outputs = model.apply(at, Var.constant(query.inputs().cast(inputs.dtype())), Context.eval());
        return loss.apply(outputs, query.targets(), Reduction.MEAN);
    }

    /** The query's mean loss at theta*. */
    public double queryLoss(Query query) {
        return queryLoss(query, theta).item();
    }

    /** The gradient of the query's mean loss at theta*. */
    public Params queryGradient(Query query) {
        return Grad.grad(t -> queryLoss(query, t), theta);
    }

    /**
     * &lt;grad l(z_i; theta*), direction&gt; for every training example i, [n]: the per-example
     * gradients dotted with one direction, as Jacobian-vector products of the per-example losses
     * over batches of {@code batchSize} examples (two backward passes per batch, no per-example
     * gradient is ever stored).
     */
    public double[] exampleGradientsDot(Params direction, int batchSize) {
        Require.atLeast("batch size", batchSize, 1);
        theta.requireAligned(direction);
        double[] out = new double[size()];
        for (int from = 0; from < size(); from += batchSize) {
            int to = Math.min(size(), from + batchSize);
            Tensor x = inputs.slice(0, from, to);
            Tensor y = targets.slice(0, from, to);
            double[] part = Grad.jvp(t -> loss.perExample(model.apply(t, Var.constant(x), Context.eval()), y), theta,
                    direction).toDoubleArray();
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }
}
