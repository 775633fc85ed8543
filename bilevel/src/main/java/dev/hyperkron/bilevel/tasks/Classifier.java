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
 * that the classification tasks (data hypercleaning, L2 tuning) share.
 */
final class Classifier {
    private final Module model;
    private final RoleSamplers samplers;
    private final Dataset test;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    Classifier(Module model, RoleSamplers samplers, Dataset test) {
        this.model = model;
        this.samplers = samplers;
        this.test = test;
    }

    Module model() {
        return model;
    }

    Batch next(Role role) {
        return samplers.next(role);
    }

    /** Mean cross-entropy of the batch, weighted per example when {@code weights} is not null. */
    Var meanLoss(Params theta, Batch batch, Var weights) {
        Var logits = model.apply(theta, Var.constant(batch.features()), Context.eval());
        return loss.apply(logits, batch.labels(), weights, Reduction.MEAN);
    }

    /** Mean cross-entropy of the batch as an inner loss, to be weighted and regularized by the task. */
    SupervisedLoss innerLoss(Batch batch) {
        return SupervisedLoss.of(model, batch.features(), batch.labels(), loss);
    }

    /** Mean cross-entropy on a fresh validation batch. */
    Objective validationLoss() {
        Batch batch = samplers.next(Role.OUTER);
        return (theta, lambda) -> meanLoss(theta, batch, null);
    }

    /** Test loss and accuracy. */
    Map<String, Double> testMetrics(Params theta) {
        Evaluation.Result r = Evaluation.of(model, theta, test);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("testLoss", r.loss());
        m.put("testAccuracy", r.accuracy());
        return m;
    }

    List<long[]> samplerState() {
        return samplers.state();
    }

    void restoreSamplerState(List<long[]> state) {
        samplers.restore(state);
    }
}
