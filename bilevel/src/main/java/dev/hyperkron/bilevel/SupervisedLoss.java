package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.FactorCapture;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.Optional;
import java.util.function.Function;

/**
 * An inner loss defined once as a supervised loss on one batch: g(theta, lambda) =
 * reduce_i w_i(lambda) l(model(x_i; theta), y_i) + R(theta, lambda). The differentiable form
 * ({@link #at}) and the form curvature solvers need ({@link #asLossBatch}: model, inputs,
 * targets, the weights at a fixed lambda, the loss; {@link #regularizerCurvature}) are both read
 * off these fields, so they cannot drift apart. The model runs in evaluation mode (no dropout
 * noise): the inner steps, the curvature and the mixed derivative must see the same function.
 */
public final class SupervisedLoss implements InnerObjective {
    private final Module model;
    private final Tensor inputs;
    private final Tensor targets;
    private final Loss loss;
    private final Reduction reduction;
    private final Function<Params, Var> weights;
    private final Regularizer regularizer;

    private SupervisedLoss(Module model, Tensor inputs, Tensor targets, Loss loss, Reduction reduction,
                           Function<Params, Var> weights, Regularizer regularizer) {
        if (reduction == Reduction.NONE) {
            throw new IllegalArgumentException("an inner loss is a scalar: use Reduction.MEAN or SUM");
        }
        this.model = model;
        this.inputs = inputs;
        this.targets = targets;
        this.loss = loss;
        this.reduction = reduction;
        this.weights = weights;
        this.regularizer = regularizer;
    }

    /** The mean of {@code loss} over the batch, unweighted and unregularized. */
    public static SupervisedLoss of(Module model, Tensor inputs, Tensor targets, Loss loss) {
        return new SupervisedLoss(model, inputs, targets, loss, Reduction.MEAN, null, Regularizer.none());
    }

    /**
     * The same loss with per-example weights that are a function of lambda (e.g. the entries of a
     * weight vector picked by the batch's positions), [batch size] and never negative.
     */
    public SupervisedLoss weightedBy(Function<Params, Var> perExampleWeights) {
        return new SupervisedLoss(model, inputs, targets, loss, reduction, perExampleWeights, regularizer);
    }

    /** The same loss plus a regularizer. */
    public SupervisedLoss regularizedBy(Regularizer r) {
        return new SupervisedLoss(model, inputs, targets, loss, reduction, weights, r);
    }

    /** The same loss with another reduction over the batch. */
    public SupervisedLoss reduced(Reduction r) {
        return new SupervisedLoss(model, inputs, targets, loss, r, weights, regularizer);
    }

    @Override
    public Var at(Params theta, Params lambda) {
        return lossOf(model.apply(theta, Var.constant(inputs), Context.eval()), theta, lambda);
    }

    @Override
    public Var capturedAt(Params theta, Params lambda, FactorCapture capture) {
        return lossOf(capture.forward(asLossBatch(lambda).orElseThrow(), theta), theta, lambda);
    }

    private Var lossOf(Var outputs, Params theta, Params lambda) {
        Var data = loss.apply(outputs, targets, weights == null ? null : weights.apply(lambda), reduction);
        Var penalty = regularizer.at(theta, lambda);
        return penalty == null ? data : data.add(penalty);
    }

    @Override
    public Optional<LossBatch> asLossBatch(Params lambda) {
        Tensor w = weights == null ? null : weights.apply(lambda.detached()).value();
        return Optional.of(new LossBatch(model, inputs, targets, w, loss, reduction));
    }

    @Override
    public double regularizerCurvature(Params lambda) {
        return regularizer.curvature(lambda);
    }

    /** The regularizer's value R(theta, lambda), or null when there is none. */
    public Var regularizerAt(Params theta, Params lambda) {
        return regularizer.at(theta, lambda);
    }
}
