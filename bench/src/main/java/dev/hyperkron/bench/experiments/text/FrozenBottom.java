package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Pretrained;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.text.WordPieceTokenizer;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The frozen lower part of a pretrained encoder (embeddings and the bottom layers), run once over
 * a data set so that fine-tuning the top layers costs only the top: its output hidden states are
 * cached as one padded batch [N, T, hidden + 1] (see {@link PaddedSequences}), the input of the
 * trainable top. Texts are run in chunks of similar length, so little time goes into padding.
 */
public final class FrozenBottom {
    /** Sequences per forward pass: long enough for efficient matrix products, short enough for little memory. */
    static final int CHUNK = 64;

    private final BertEncoder encoder;
    private final Params params;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;

    /** The embeddings and the first {@code layers} layers of the checkpoint's encoder, run on the host. */
    public FrozenBottom(BertCheckpoint checkpoint, int layers, WordPieceTokenizer tokenizer, int maxLength) {
        this(checkpoint, layers, tokenizer, maxLength, Device.host());
    }

    /** The same run on {@code device}; the states it returns are on the host. */
    public FrozenBottom(BertCheckpoint checkpoint, int layers, WordPieceTokenizer tokenizer, int maxLength,
                        Device device) {
        this.encoder = new BertEncoder(checkpoint.config(), true, 0, layers, 0);
        this.params = new Pretrained(encoder, checkpoint.weights()).init(new Rng(0), DType.F32).to(device);
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /**
     * The hidden states of every text (truncated to the maximum length) in the texts' order, F32
     * [N, T, hidden + 1], T the longest sequence's used length; shorter ones are padded with zeros
     * and a zero mask.
     */
    public Tensor states(List<String> texts) {
        int n = texts.size();
        Integer[] order = new Integer[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lengths[i] = tokenizer.encode(texts.get(i), maxLength, WordPieceTokenizer.Overflow.TRUNCATE).length();
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<Tensor> chunks = new ArrayList<>();
        int longest = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < n; start += CHUNK) {
                List<String> chunk = new ArrayList<>();
                for (int i = start; i < Math.min(n, start + CHUNK); i++) {
                    chunk.add(texts.get(order[i]));
                }
                Tensor tokens = PaddedSequences.of(tokenizer.encodeBatch(chunk, maxLength,
                        WordPieceTokenizer.Overflow.TRUNCATE, WordPieceTokenizer.Padding.LONGEST));
                Tensor out = encoder.apply(params, Var.constant(tokens), Context.eval()).value();
                chunks.add(out);
                longest = Math.max(longest, out.dim(1));
            }
        }
        int width = encoder.config().hidden() + 1;
        int row = longest * width;
        float[] all = new float[n * row];
        int position = 0;
        for (Tensor chunk : chunks) {
            float[] values = chunk.toFloatArray();
            int used = chunk.dim(1) * width;
            for (int r = 0; r < chunk.dim(0); r++) {
                System.arraycopy(values, r * used, all, order[position++] * row, used);
            }
        }
        return Tensor.of(all, n, longest, width);
    }
}
