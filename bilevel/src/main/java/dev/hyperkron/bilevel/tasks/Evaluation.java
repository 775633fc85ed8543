package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;

/** Loss and accuracy of a classifier on a whole data set, computed in chunks without a graph. */
public final class Evaluation {
    private static final int CHUNK = 1024;

    /** Mean cross-entropy and accuracy (fraction correct). */
    public record Result(double loss, double accuracy) {
    }

    private Evaluation() {
    }

    public static Result of(Module model, Params params, Dataset data) {
        double lossSum = 0;
        long correct = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (int from = 0; from < data.size(); from += CHUNK) {
                Dataset part = data.slice(from, Math.min(data.size(), from + CHUNK));
                Var logits = model.apply(params, Var.constant(part.features()), Context.eval());
                lossSum += new CrossEntropyLoss().apply(logits, part.labels(), Reduction.SUM).item();
                Tensor predicted = logits.value().argmax(1, false);
                correct += (long) predicted.eq(part.labels()).cast(DType.F64).sum().item();
            }
        }
        return new Result(lossSum / data.size(), (double) correct / data.size());
    }
}
