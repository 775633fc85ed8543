package dev.hyperkron.nn.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * BERT's text normalization, as Hugging Face {@code tokenizers} configures it in a
 * tokenizer.json ({@code "type": "BertNormalizer"}), so Hyperkron feeds a pretrained model the
 * same token ids it was trained with. Steps, in this order: clean text (drop NUL, U+FFFD and
 * control, format, private-use and surrogate characters; turn every whitespace into a space), pad
 * CJK ideographs with spaces so each becomes its own word, strip accents (NFD, then drop
 * non-spacing marks; by default whenever lowercasing), lowercase each character on its own
 * (full Unicode mapping, no context rules such as a final sigma).
 *
 * <p>Which characters are controls, accents (non-spacing marks) and punctuation comes from a
 * table measured from Hugging Face tokenizers ({@code BertCharClasses}), not from the JDK,
 * whose newer Unicode tables disagree on characters added to Unicode since Hugging Face's.
 *
 * @param stripAccents null means "as lowercase", the tokenizer.json default
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase) {

    /** The normalizer of the uncased BERT checkpoints (bert-base-uncased, all-MiniLM-L6-v2). */
    public static BertNormalizer uncased() {
        return new BertNormalizer(true, true, null, true);
    }

    /** Applies the configured steps. */
    public String normalize(String text) {
        String s = text;
        if (cleanText) {
            s = clean(s);
        }
        if (handleChineseChars) {
            s = spaceChineseChars(s);
        }
        if (stripAccents == null ? lowercase : stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (isControl(c)) {
                return;
            }
            out.appendCodePoint(isWhitespace(c) ? ' ' : c);
        });
        return out.toString();
    }

    private static String spaceChineseChars(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (isChineseChar(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String stripAccents(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(c -> !BertCharClasses.MARK.contains(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Lowercases one code point at a time, so no context-dependent rule applies (as Rust's char::to_lowercase). */
    private static String lowercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 0x80) {
                out.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            } else {
                out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
            }
        });
        return out.toString();
    }

    /** Unicode's White_Space property (tab, newline and carriage return included), not Java's isWhitespace. */
    static boolean isWhitespace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Removed by text cleaning (NUL and U+FFFD too): Hugging Face's control, format and private-use characters. */
    static boolean isControl(int c) {
        return BertCharClasses.CONTROL.contains(c);
    }

    /** The CJK ideograph blocks of the original BERT code (not Hiragana, Katakana or Hangul, which are written with spaces). */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
