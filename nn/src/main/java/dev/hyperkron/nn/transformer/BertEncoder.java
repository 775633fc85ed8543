package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.text.BertConfig;

/**
 * A contiguous slice of a BERT encoder: optionally the embeddings, then layers {@code from}
 * (inclusive) to {@code to} (exclusive) of the stack. Slicing is what makes partial
 * fine-tuning cheap: the frozen bottom runs once over the data and its outputs are cached as
 * a padded batch of hidden states, which the trainable top takes as input.
 *
 * <p>Input: a {@link PaddedSequences} batch of tokens [N, T, 3] when the slice has the
 * embeddings, of hidden states [N, T, hidden + 1] when it does not. Trailing positions that
 * are padding in every sequence are dropped first (they cannot change a real position).
 * Parameters carry Hugging Face's names: {@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.K.attention.self.query.weight}, ...
 */
public final class BertEncoder implements Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final int from;
    private final BertLayer[] layers;

    /** The hidden states of a batch with the mask of its real positions. */
    public record Encoded(Var states, Tensor mask) {
    }

    /**
     * Layers [from, to) of a model with this config, after the embeddings when {@code withEmbeddings}.
     * Dropout applies in training mode after embeddings, attention probabilities and both residual branches.
     */
    public BertEncoder(BertConfig config, boolean withEmbeddings, int from, int to, double dropout) {
        if (from < 0 || to < from || to > config.layers()) {
            throw new IllegalArgumentException("BertEncoder: layers [" + from + ", " + to + ") are not a range of the "
                    + config.layers() + " layers");
        }
        this.config = config;
        this.embeddings = withEmbeddings ? new BertEmbeddings(config, dropout) : null;
        this.from = from;
        this.layers = new BertLayer[to - from];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new BertLayer(config, dropout);
        }
    }

    /** The whole encoder: embeddings and every layer. */
    public static BertEncoder full(BertConfig config, double dropout) {
        return new BertEncoder(config, true, 0, config.layers(), dropout);
    }

    public BertConfig config() {
        return config;
    }

    /** Whether the slice starts with the embeddings (takes tokens, not hidden states). */
    public boolean hasEmbeddings() {
        return embeddings != null;
    }

    /** Number of encoder layers in the slice. */
    public int layerCount() {
        return layers.length;
    }

    /** The parameter prefix of stack layer {@code k}, as in Hugging Face's BertModel. */
    public static String layerName(int k) {
        return "encoder.layer." + k;
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        Params p = embeddings == null ? Params.empty() : embeddings.init(rng, dtype).prefixed("embeddings");
        for (int i = 0; i < layers.length; i++) {
            p = p.merge(layers[i].init(rng, dtype).prefixed(layerName(from + i)));
        }
        return p;
    }

    /** The output hidden states as a packed batch [N, T', hidden + 1] (T' <= T: trailing padding dropped). */
    @Override
    public Var apply(Params params, Var input, Context ctx) {
        Encoded e = encode(params, input, ctx);
        int n = e.mask().dim(0);
        int t = e.mask().dim(1);
        return Var.concat(2, e.states(), Var.constant(e.mask().cast(e.states().dtype()).reshape(n, t, 1)));
    }

    /** The output hidden states [N, T', hidden] and the mask [N, T'] of their real positions. */
    public Encoded encode(Params params, Var input, Context ctx) {
        int features = embeddings == null ? config.hidden() : 2;
        if (input.rank() != 3 || input.dim(2) != features + 1) {
            throw new IllegalArgumentException("BertEncoder at '" + ctx.path() + "': expected a padded batch of "
                    + (embeddings == null ? "hidden states [N, T, " + (features + 1) + "]"
                    : "tokens [N, T, 3] (id, type id, mask)") + ", got " + input.shape());
        }
        Tensor fullMask = PaddedSequences.mask(input.value());
        int used = PaddedSequences.usedLength(fullMask);
        Tensor mask = fullMask.slice(1, 0, used);
        Var x = PaddedSequences.features(input).slice(1, 0, used);
        if (embeddings != null) {
            x = embeddings.apply(params.child("embeddings"), x, ctx.withPositionMask(mask).child("embeddings"));
            // Token ids stay on the host (they index the tables); the mask goes where the embedded states are.
            mask = mask.to(x.value().device());
        }
        Context sequence = ctx.withPositionMask(mask);
        for (int i = 0; i < layers.length; i++) {
            String name = layerName(from + i);
            x = layers[i].apply(params.child(name), x, sequence.child(name));
        }
        return new Encoded(x, mask);
    }
}
