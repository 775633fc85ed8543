package dev.hyperkron.nn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.nn.text.WordPieceTokenizer.Overflow;
import dev.hyperkron.nn.text.WordPieceTokenizer.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class WordPieceTokenizerProperties {
    private final WordPieceTokenizer tokenizer = TinyTokenizer.tokenizer();

    /** Text made of vocabulary pieces, letters with accents, CJK, punctuation, whitespace, controls and special tokens. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("un", "aff", "able", "want", "ed", "cafe", "x", "don't", "example.com", "Café", "É"),
                Arbitraries.of("[MASK]", "[SEP]", "[CLS]", "[PAD]", "[UNK]", "[mask]", "[MAS"),
                Arbitraries.of(" ", "\t", "\n", "\u00a0", "\u3000", "\u200b", "\u0000", "\u0301"),
                Arbitraries.of("!", "@", ".", "'", "“", "—", "$"),
                Arbitraries.of("我", "文", "こ", "한"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12));
        return piece.list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Property(tries = 300)
    void everyTokenIsAVocabularyEntry(@ForAll("texts") String text) {
        for (String token : tokenizer.tokenize(text)) {
            assertTrue(TinyTokenizer.VOCAB.contains(token), token + " from " + text);
        }
    }

    @Property(tries = 300)
    void aSpaceSeparatesTokenizationExactly(@ForAll("texts") String a, @ForAll("texts") String b) {
        List<String> joined = new ArrayList<>(tokenizer.tokenize(a));
        joined.addAll(tokenizer.tokenize(b));
        assertEquals(joined, tokenizer.tokenize(a + " " + b));
    }

    @Property(tries = 300)
    void truncationKeepsAPrefixOfTheTextBetweenClsAndSep(@ForAll("texts") String text,
                                                         @ForAll @IntRange(min = 3, max = 12) int maxLength) {
        List<String> tokens = tokenizer.tokenize(text);
        Assume.that(!tokens.isEmpty());
        Encoding cut = tokenizer.encode(text, maxLength, Overflow.TRUNCATE);
        int kept = Math.min(tokens.size(), maxLength - 2);
        List<String> expected = new ArrayList<>(List.of("[CLS]"));
        expected.addAll(tokens.subList(0, kept));
        expected.add("[SEP]");
        assertEquals(expected, cut.tokens());
        assertEquals(tokens.size() > kept, cut.truncated());
    }

    @Property(tries = 200)
    void paddedBatchesHoldEachEncodingThenPadsUnderAZeroMask(@ForAll("texts") String a, @ForAll("texts") String b) {
        Assume.that(!tokenizer.tokenize(a).isEmpty() && !tokenizer.tokenize(b).isEmpty());
        BatchEncoding batch = tokenizer.encodeBatch(List.of(a, b), 10, Overflow.TRUNCATE, Padding.LONGEST);
        long[] ids = (long[]) batch.ids().storage().array();
        long[] mask = (long[]) batch.attentionMask().storage().array();
        int length = batch.length();
        for (int r = 0; r < 2; r++) {
            int[] expected = batch.encodings().get(r).ids();
            long[] row = Arrays.copyOfRange(ids, r * length, (r + 1) * length);
            for (int j = 0; j < length; j++) {
                assertEquals(j < expected.length ? expected[j] : 0, row[j]);
                assertEquals(j < expected.length ? 1 : 0, mask[r * length + j]);
            }
        }
        assertArrayEquals(tokenizer.encode(a, 10, Overflow.TRUNCATE).ids(), batch.encodings().get(0).ids());
    }
}
