package dev.hyperkron.nn.text;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.util.List;

/**
 * Labelled texts, the text counterpart of {@code nn.data.Dataset} before tokenization: texts in
 * source order, integer labels (I64 [N]) in [0, classes). Text stays text here so the same
 * examples can be tokenized for any model and maximum length.
 */
public record TextExamples(List<String> texts, Tensor labels, int classes) {

    public TextExamples {
        texts = List.copyOf(texts);
        if (classes < 1) {
            throw new IllegalArgumentException("TextExamples: the number of classes must be positive, got " + classes);
        }
        if (labels.rank() != 1 || labels.dim(0) != texts.size() || labels.dtype().isFloating()) {
            throw new IllegalArgumentException("TextExamples: labels must be an integer vector of the " + texts.size()
                    + " texts, got " + labels.dtype() + " " + labels.shape());
        }
        labels = labels.cast(DType.I64);
        long[] y = (long[]) labels.storage().array();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("TextExamples: label " + y[i] + " of text " + i + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    /** Number of texts N. */
    public int size() {
        return texts.size();
    }

    /** The same texts with other labels (the noisy training labels, say). */
    public TextExamples withLabels(Tensor newLabels) {
        return new TextExamples(texts, newLabels, classes);
    }
}
