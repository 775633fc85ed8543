package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;

/**
 * How a classifier does on a labelled set, as typed values: mean cross-entropy, accuracy, and
 * what accuracy hides on an imbalanced set (per-class recall, their mean the balanced accuracy,
 * and the confusion matrix). Classes with no example in the set have recall NaN and are left
 * out of the balanced accuracy, as in scikit-learn.
 *
 * @param loss mean cross-entropy over the examples
 * @param accuracy fraction of examples whose predicted class (the first largest logit) is the label
 * @param balancedAccuracy mean recall over the classes that have examples (NaN if none has)
 * @param perClassRecall recall of each class c: correct predictions of c over the examples of c
 * @param confusion I64 [C, C] counts: row = true class, column = predicted class
 */
public record ClassificationMetrics(double loss, double accuracy, double balancedAccuracy, double[] perClassRecall,
        Tensor confusion) {
    private static final int CHUNK = 1024;

    /** Checks that the recall vector and the confusion matrix agree in the number of classes. */
    public ClassificationMetrics {
        int c = perClassRecall.length;
        if (confusion.rank() != 2 || confusion.dim(0) != c || confusion.dim(1) != c) {
            throw new IllegalArgumentException("ClassificationMetrics: the confusion matrix must be [" + c + ", " + c
                    + "] to match " + c + " recalls, got " + confusion.shape());
        }
        perClassRecall = perClassRecall.clone();
    }

    /**
     * The model's metrics on the whole data set, evaluated in chunks without recording a graph
     * (all NaN for an empty set). The model must give logits [N, C] for the set's C classes.
     */
    public static ClassificationMetrics of(Module model, Params params, Dataset data) {
        int classes = data.classes();
        long[] confusion = new long[classes * classes];
        double lossSum = 0;
        CrossEntropyLoss crossEntropy = new CrossEntropyLoss();
        try (NoGrad scope = NoGrad.enter()) {
            for (int from = 0; from < data.size(); from += CHUNK) {
                Dataset part = data.slice(from, Math.min(data.size(), from + CHUNK));
                Var logits = model.apply(params, Var.constant(part.features()), Context.eval());
                if (logits.rank() != 2 || logits.dim(1) != classes) {
                    throw new IllegalArgumentException("ClassificationMetrics: the model gives logits " + logits.shape()
                            + " for a data set of " + classes + " classes; expected [N, " + classes + "]");
                }
                lossSum += crossEntropy.apply(logits, part.labels(), Reduction.SUM).item();
                count(part.labels(), logits.value().argmax(1), classes, confusion);
            }
        }
        return fromConfusion(Tensor.of(confusion, classes, classes), lossSum / data.size());
    }

    /**
     * Accuracy, recalls and balanced accuracy read off a confusion matrix of counts [C, C] (row =
     * true class, column = predicted), with the given mean loss.
     */
    public static ClassificationMetrics fromConfusion(Tensor confusion, double loss) {
        if (confusion.rank() != 2 || confusion.dim(0) != confusion.dim(1) || confusion.dtype().isFloating()) {
            throw new IllegalArgumentException("ClassificationMetrics: a confusion matrix is a square integer tensor [C, C],"
                    + " got " + confusion.dtype() + " " + confusion.shape());
        }
        int classes = confusion.dim(0);
        long total = 0;
        long correct = 0;
        double recallSum = 0;
        int present = 0;
        double[] recall = new double[classes];
        for (int c = 0; c < classes; c++) {
            long support = 0;
            for (int p = 0; p < classes; p++) {
                support += confusion.getLong(c, p);
            }
            long hits = confusion.getLong(c, c);
            total += support;
            correct += hits;
            recall[c] = support == 0 ? Double.NaN : (double) hits / support;
            if (support > 0) {
                recallSum += recall[c];
                present++;
            }
        }
        double accuracy = total == 0 ? Double.NaN : (double) correct / total;
        return new ClassificationMetrics(loss, accuracy, present == 0 ? Double.NaN : recallSum / present, recall,
                confusion.cast(DType.I64));
    }

    private static void count(Tensor labels, Tensor predicted, int classes, long[] confusion) {
        for (int i = 0; i < labels.size(); i++) {
            int truth = (int) labels.storage().getLong(i);
            int guess = (int) predicted.storage().getLong(i);
            confusion[truth * classes + guess]++;
        }
    }

    /** The number of classes C. */
    public int classes() {
        return perClassRecall.length;
    }

    /** A copy of the per-class recalls (NaN for a class with no examples). */
    @Override
    public double[] perClassRecall() {
        return perClassRecall.clone();
    }
}
