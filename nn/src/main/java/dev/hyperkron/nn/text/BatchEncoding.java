package dev.hyperkron.nn.text;

import dev.hyperkron.core.Tensor;
import java.util.List;

/**
 * A batch of texts as the tensors a BERT-style encoder takes, padded on the right to one
 * length L: token ids, an attention mask (1 for a real token, 0 for padding, which attention
 * and sequence statistics must skip) and token type ids, each I64 [B, L] as in Hugging Face's
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids}; plus each text's
 * unpadded {@link Encoding}.
 */
public record BatchEncoding(Tensor ids, Tensor attentionMask, Tensor typeIds, List<Encoding> encodings) {

    public BatchEncoding {
        encodings = List.copyOf(encodings);
    }

    /** Number of texts B. */
    public int size() {
        return encodings.size();
    }

    /** The padded length L. */
    public int length() {
        return ids.dim(1);
    }
}
