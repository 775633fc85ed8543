package dev.hyperkron.nn.text;

import java.util.Arrays;
import java.util.List;

/**
 * One text as a model input: the token ids with the special tokens of the model's template
 * ([CLS] ... [SEP] for BERT), the tokens they stand for (to read and debug), the token type
 * (segment) ids, and whether the text was cut to fit a maximum length. Unpadded: padding
 * happens when texts are batched ({@link BatchEncoding}).
 */
public final class Encoding {
    private final List<String> tokens;
    private final int[] ids;
    private final int[] typeIds;
    private final boolean truncated;

    Encoding(List<String> tokens, int[] ids, int[] typeIds, boolean truncated) {
        this.tokens = List.copyOf(tokens);
        this.ids = ids.clone();
        this.typeIds = typeIds.clone();
        this.truncated = truncated;
    }

    public List<String> tokens() {
        return tokens;
    }

    /** Token ids (a copy). */
    public int[] ids() {
        return ids.clone();
    }

    /** Token type ids (a copy): 0 for a single text. */
    public int[] typeIds() {
        return typeIds.clone();
    }

    /** Number of tokens, special tokens included. */
    public int length() {
        return ids.length;
    }

    /** Whether tokens were dropped from the end to fit the maximum length. */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public String toString() {
        return "Encoding" + tokens + (truncated ? " (truncated)" : "") + " ids " + Arrays.toString(ids);
    }
}
