package dev.hyperkron.nn.transformer;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Dropout;
import dev.hyperkron.nn.layers.Embedding;
import dev.hyperkron.nn.layers.LayerNorm;
import dev.hyperkron.nn.text.BertConfig;

/**
 * BERT's input layer: word + absolute position + token type embeddings, then LayerNorm and
 * dropout. Input: the token features of a padded batch, [N, T, 2] (token id, token type id),
 * in any dtype that holds them exactly; output [N, T, hidden]. Positions count 0, 1, ... from
 * the first column, as in Hugging Face's BertModel with right padding.
 */
public final class BertEmbeddings implements Module {
    private final BertConfig config;
    private final Embedding words;
    private final Embedding positions;
    private final Embedding tokenTypes;
    private final LayerNorm norm;
    private final Dropout dropout;

    public BertEmbeddings(BertConfig config, double dropout) {
        this.config = config;
        this.words = new Embedding(config.vocabSize(), config.hidden());
        this.positions = new Embedding(config.maxPositions(), config.hidden());
        this.tokenTypes = new Embedding(config.typeVocabSize(), config.hidden());
        this.norm = new LayerNorm(config.hidden(), config.layerNormEps());
        this.dropout = new Dropout(dropout);
    }

    @Override
    public Params init(Rng rng, DType dtype) {
        return words.init(rng, dtype).prefixed("word_embeddings")
                .merge(positions.init(rng, dtype).prefixed("position_embeddings"))
                .merge(tokenTypes.init(rng, dtype).prefixed("token_type_embeddings"))
                .merge(norm.init(rng, dtype).prefixed("LayerNorm"));
    }

    @Override
    public Var apply(Params params, Var input, Context ctx) {
        if (input.rank() != 3 || input.dim(2) != 2) {
            throw new IllegalArgumentException("BertEmbeddings at '" + ctx.path() + "': expected token features [N, T, 2] "
                    + "(id, type id), got " + input.shape());
        }
        int n = input.dim(0);
        int t = input.dim(1);
        if (t > config.maxPositions()) {
            throw new IllegalArgumentException("BertEmbeddings at '" + ctx.path() + "': sequences of " + t
                    + " positions are longer than the model's " + config.maxPositions() + "; truncate the text");
        }
        Tensor ids = integers(input.value().slice(2, 0, 1).reshape(n, t), "token id", ctx);
        Tensor types = integers(input.value().slice(2, 1, 2).reshape(n, t), "token type id", ctx);
        long[] positionIds = new long[t];
        for (int i = 0; i < t; i++) {
            positionIds[i] = i;
        }
        Var sum = words.apply(params.child("word_embeddings"), Var.constant(ids), ctx.child("word_embeddings"))
                .add(positions.apply(params.child("position_embeddings"), Var.constant(Tensor.of(positionIds, 1, t)),
                        ctx.child("position_embeddings")))
                .add(tokenTypes.apply(params.child("token_type_embeddings"), Var.constant(types),
                        ctx.child("token_type_embeddings")));
        return dropout.apply(Params.empty(), norm.apply(params.child("LayerNorm"), sum, ctx.child("LayerNorm")), ctx);
    }

    // Ids arrive in the batch's floating dtype; they must be whole numbers (the Embedding checks the range).
    private static Tensor integers(Tensor values, String what, Context ctx) {
        if (!values.dtype().isFloating()) {
            return values.cast(DType.I64);
        }
        double[] v = values.toDoubleArray();
        long[] ids = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException("BertEmbeddings at '" + ctx.path() + "': " + what + " " + v[i]
                        + " is not a whole number");
            }
            ids[i] = (long) v[i];
        }
        return Tensor.of(ids, values.shape().dims());
    }
}
