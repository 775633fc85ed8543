package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Context;

/** How an adapted model is scored on a task's query set: accuracy (classification) or mean loss (regression). */
public enum QueryMetric {
    /** The fraction of query examples whose largest logit is the label (higher is better). */
    ACCURACY,
    /** The mean query loss, e.g. mean squared error (lower is better). */
    LOSS;

    /** The score of {@code theta} on {@code query}, computed without recording a graph. */
    public double of(LossBatch query, Params theta) {
        try (NoGrad scope = NoGrad.enter()) {
            Var outputs = query.outputs(theta, Context.eval());
            if (this == LOSS) {
                return query.lossOf(outputs).item();
            }
            var predicted = outputs.value().argmax(1);
            int correct = 0;
            for (int i = 0; i < query.size(); i++) {
                if (predicted.getLong(i) == query.targets().getLong(i)) {
                    correct++;
                }
            }
            return (double) correct / query.size();
        }
    }

    /** Whether a larger score is better. */
    public boolean higherIsBetter() {
        return this == ACCURACY;
    }
}
