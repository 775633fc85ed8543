package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;

/**
 * Loss and accuracy of a classifier on a whole data set, the two numbers the tasks report; see
 * {@link ClassificationMetrics} for balanced accuracy, per-class recall and the confusion matrix.
 */
public final class Evaluation {

    /** Mean cross-entropy and accuracy (fraction correct). */
    public record Result(double loss, double accuracy) {
    }

    private Evaluation() {
    }

    /** Mean cross-entropy and accuracy of the model on the data set, computed without a graph. */
    public static Result of(Module model, Params params, Dataset data) {
        ClassificationMetrics m = ClassificationMetrics.of(model, params, data);
        return new Result(m.loss(), m.accuracy());
    }
}
