package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Dropout;
import dev.hyperkron.nn.layers.Linear;

/**
 * A BERT encoder slice, a pooling and a linear classification head ({@code classifier.weight},
 * {@code classifier.bias}): padded sequences in (as the encoder takes them), logits [N, classes]
 * out. With an encoder slice of zero layers it is a linear probe on cached hidden states.
 */
public final class SequenceClassifier implements Module {
    private final BertEncoder encoder;
    private final Pooling pooling;
    private final Linear head;
    private final Dropout dropout;

    public SequenceClassifier(BertEncoder encoder, Pooling pooling, int classes, double dropout) {
        if (classes < 2) {
            throw new IllegalArgumentException("SequenceClassifier needs at least 2 classes, got " + classes);
        }
        this.encoder = encoder;
        this.pooling = pooling;
        this.head = new Linear(encoder.config().hidden(), classes);
        this.dropout = new Dropout(dropout);
    }

    public BertEncoder encoder() {
        return encoder;
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return encoder.init(rng, dtype).merge(head.init(rng, dtype).prefixed("classifier"));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        BertEncoder.Encoded e = encoder.encode(params, input, ctx);
        Var pooled = dropout.apply(Params.empty(), pooling.pool(e.states(), e.mask()), ctx);
        return head.apply(params.child("classifier"), pooled, ctx.child("classifier"));
    }
}
