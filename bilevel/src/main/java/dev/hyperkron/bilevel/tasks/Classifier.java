package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.Objective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.bilevel.SupervisedLoss;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier trained on batches drawn per role, with the cross-entropy losses and test metrics
 * that the classification tasks (data hypercleaning, L2 tuning) share: the supervised half of a
 * bilevel problem, so that a new task writes only its outer variables and how they enter the loss.
 */
public final class Classifier {
    private final Module model;
    private final RoleSamplers samplers;
    private final Dataset test;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    /** A classifier {@code model} trained on the samplers' batches and evaluated on {@code test}. */
    public Classifier(Module model, RoleSamplers samplers, Dataset test) {
        this.model = model;
        this.samplers = samplers;
        this.test = test;
    }

    /** The model, whose logits [N, C] the losses read. */
    public Module model() {
        return model;
    }

    /** A freshly drawn batch for {@code role} (training data for INNER, CURVATURE and MIXED; validation for OUTER). */
    public Batch next(Role role) {
        return samplers.next(role);
    }

    /**
     * Mean cross-entropy of the batch, weighted per example when {@code weights} (a [N] Var, for
     * instance outer variables) is not null: sum_n w_n l_n / N.
     */
    public Var meanLoss(Params theta, Batch batch, Var weights) {
        Var logits = model.apply(theta, Var.constant(batch.features()), Context.eval());
        return loss.apply(logits, batch.labels(), weights, Reduction.MEAN);
    }

    /**
     * Mean cross-entropy of the batch as an inner loss, to be weighted and regularized by the task:
     * one definition from which both the loss and the form KFAC's curvature reads are derived.
     */
    public SupervisedLoss innerLoss(Batch batch) {
        return SupervisedLoss.of(model, batch.features(), batch.labels(), loss);
    }

    /** Mean cross-entropy on a fresh validation batch, unweighted: the usual outer objective. */
    public Objective validationLoss() {
        Batch batch = samplers.next(Role.OUTER);
        return (theta, lambda) -> meanLoss(theta, batch, null);
    }

    /** Loss, accuracy, balanced accuracy, per-class recall and confusion matrix on the test set. */
    public ClassificationMetrics evaluate(Params theta) {
        return ClassificationMetrics.of(model, theta, test);
    }

    /** Test loss and accuracy, keyed "testLoss" and "testAccuracy"; {@link #evaluate} has the typed metrics. */
    public Map<String, Double> testMetrics(Params theta) {
        ClassificationMetrics r = evaluate(theta);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("testLoss", r.loss());
        m.put("testAccuracy", r.accuracy());
        return m;
    }

    /** The samplers' state, for {@link dev.hyperkron.bilevel.BilevelProblem#samplerState()}. */
    public List<long[]> samplerState() {
        return samplers.state();
    }

    /** Restores {@link #samplerState()}. */
    public void restoreSamplerState(List<long[]> state) {
        samplers.restore(state);
    }
}
