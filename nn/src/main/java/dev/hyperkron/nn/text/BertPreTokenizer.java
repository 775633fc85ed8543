package dev.hyperkron.nn.text;

import java.util.ArrayList;
import java.util.List;

/**
 * BERT's split of normalized text into words ({@code "type": "BertPreTokenizer"} in a
 * tokenizer.json): whitespace separates words and is dropped; every punctuation character
 * (ASCII punctuation, which includes symbols such as {@code $+<=>^`|~}, and the Unicode
 * punctuation categories) is a word of its own. So {@code "don't"} becomes {@code don ' t} and
 * an e-mail address splits at {@code @} and each dot.
 */
public final class BertPreTokenizer {
    private BertPreTokenizer() {
    }

    /** The words of {@code text}, in order. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (BertNormalizer.isWhitespace(c) || isPunctuation(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                if (!BertNormalizer.isWhitespace(c)) {
                    words.add(new String(Character.toChars(c)));
                }
            } else {
                word.appendCodePoint(c);
            }
        });
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** ASCII punctuation and symbols and Unicode punctuation, as Hugging Face classifies them (see BertCharClasses). */
    static boolean isPunctuation(int c) {
        return BertCharClasses.PUNCTUATION.contains(c);
    }
}
