package dev.hyperkron.nn.text;

/**
 * The hyperparameters of a BERT encoder (post-LayerNorm, exact GELU, absolute position
 * embeddings), as far as building the model and loading its weights needs them. A {@link
 * BertCheckpoint} derives it from tensor shapes plus the graph (ONNX) or config.json
 * (safetensors), so the model built from it always fits the weights.
 *
 * @param layers        encoder layers (6 for all-MiniLM-L6-v2, 12 for bert-base)
 * @param hidden        hidden size (384, 768)
 * @param heads         attention heads; {@code hidden} is a multiple of it
 * @param intermediate  FFN inner size (1536, 3072)
 * @param vocabSize     rows of the word-embedding table (30522)
 * @param maxPositions  rows of the position-embedding table: the longest input (512)
 * @param typeVocabSize rows of the token-type-embedding table (2)
 * @param layerNormEps  the epsilon inside every LayerNorm (1e-12)
 */
public record BertConfig(int layers, int hidden, int heads, int intermediate, int vocabSize, int maxPositions,
                         int typeVocabSize, double layerNormEps) {

    public BertConfig {
        requirePositive("layers", layers);
        requirePositive("hidden", hidden);
        requirePositive("heads", heads);
        requirePositive("intermediate", intermediate);
        requirePositive("vocabSize", vocabSize);
        requirePositive("maxPositions", maxPositions);
        requirePositive("typeVocabSize", typeVocabSize);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("BertConfig: hidden size " + hidden + " is not a multiple of the "
                    + heads + " attention heads");
        }
        if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("BertConfig: layerNormEps must be positive and finite, got " + layerNormEps);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("BertConfig: " + name + " must be positive, got " + value);
        }
    }

    /** Size of one attention head: hidden / heads (32 for all-MiniLM-L6-v2, 64 for bert-base). */
    public int headDim() {
        return hidden / heads;
    }
}
