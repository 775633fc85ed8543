package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Regularizer;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.loss.SoftCrossEntropyLoss;
import java.util.Optional;
import java.util.function.Function;

/**
 * A victim's training loss on a batch of clean examples plus poison examples whose features and
 * (soft) labels are functions of lambda: g = sum_i w_i l(x_i, y_i) + R(theta) over the batch and
 * the poison, l the soft-label cross-entropy. Inputs and targets depend on lambda, which is why
 * this is not a {@link dev.hyperkron.bilevel.SupervisedLoss}; its value and the form KFAC reads
 * ({@link #asLossBatch}, a sum-reduced weighted loss) are built from the same fields.
 */
final class PoisonedTrainingLoss implements InnerObjective {
    private final Module model;
    private final Tensor cleanInputs;
    private final Tensor cleanTargets;
    private final Function<Params, Var> poisonInputs;
    private final Function<Params, Var> poisonTargets;
    private final Tensor weights;
    private final Regularizer regularizer;
    private final SoftCrossEntropyLoss loss = new SoftCrossEntropyLoss();

    /**
     * @param cleanTargets  one-hot (or soft) targets of the clean batch [B, C]
     * @param poisonInputs  the poison features [P, ...] as a function of lambda
     * @param poisonTargets the poison targets [P, C] as a function of lambda
     * @param weights       each example's weight [B + P], clean batch first
     */
    PoisonedTrainingLoss(Module model, Tensor cleanInputs, Tensor cleanTargets, Function<Params, Var> poisonInputs,
                         Function<Params, Var> poisonTargets, Tensor weights, Regularizer regularizer) {
        this.model = model;
        this.cleanInputs = cleanInputs;
        this.cleanTargets = cleanTargets;
        this.poisonInputs = poisonInputs;
        this.poisonTargets = poisonTargets;
        this.weights = weights;
        this.regularizer = regularizer;
    }

    @Override
    public Var at(Params theta, Params lambda) {
        Var inputs = Var.concat(0, Var.constant(cleanInputs), poisonInputs.apply(lambda));
        Var targets = Var.concat(0, Var.constant(cleanTargets), poisonTargets.apply(lambda));
        Var logits = model.apply(theta, inputs, Context.eval());
        Var data = loss.perExample(logits, targets).mul(Var.constant(weights)).sum();
        Var penalty = regularizer.at(theta, lambda);
        return penalty == null ? data : data.add(penalty);
    }

    @Override
    public Optional<LossBatch> asLossBatch(Params lambda) {
        Params fixed = lambda.detached();
        Tensor inputs = Tensor.concat(0, cleanInputs, poisonInputs.apply(fixed).value());
        Tensor targets = Tensor.concat(0, cleanTargets, poisonTargets.apply(fixed).value());
        return Optional.of(new LossBatch(model, inputs, targets, weights, loss, Reduction.SUM));
    }

    @Override
    public double regularizerCurvature(Params lambda) {
        return regularizer.curvature(lambda);
    }
}
