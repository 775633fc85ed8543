package dev.hyperkron.nn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.text.WordPieceTokenizer.Overflow;
import dev.hyperkron.nn.text.WordPieceTokenizer.Padding;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
    private final WordPieceTokenizer tokenizer = TinyTokenizer.tokenizer();

    private static void assertMentions(Exception e, String... phrases) {
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    @Test
    void splitsWordsIntoTheLongestPiecesFromTheLeftWithContinuationPrefixes() {
        assertEquals(List.of("un", "##aff", "##able"), tokenizer.tokenize("unaffable"));
        assertEquals(List.of("want", "##ed", "!"), tokenizer.tokenize("WANTED!"));
        assertEquals(List.of("x", "##x", "##x"), tokenizer.tokenize("xxx"));
    }

    @Test
    void aWordWithoutACompleteSplitOrLongerThanTheLimitIsOneUnknownToken() {
        assertEquals(List.of("[UNK]"), tokenizer.tokenize("unwanted"), "un + ##want is not in the vocabulary");
        assertEquals(9, tokenizer.tokenize("xxxxxxxxx").size(), "9 characters: the limit, x and eight ##x");
        assertEquals(List.of("[UNK]"), tokenizer.tokenize("xxxxxxxxxx"), "10 characters: over max_input_chars_per_word");
    }

    @Test
    void normalizesAccentsCaseAndCjkAndSplitsPunctuation() {
        assertEquals(List.of("cafe", "!"), tokenizer.tokenize("  CAFÉ\t!\n"));
        assertEquals(List.of("我", "x"), tokenizer.tokenize("我x"), "a CJK ideograph is its own word");
        assertEquals(List.of("don", "'", "t"), tokenizer.tokenize("Don't"));
        assertEquals(List.of("[UNK]", "@", "example", ".", "com"), tokenizer.tokenize("john@example.com"));
    }

    @Test
    void specialTokensInTheTextAreMatchedExactlyBeforeNormalization() {
        assertEquals(List.of("want", "[MASK]", "cafe", "[SEP]", "x"), tokenizer.tokenize("want[MASK] cafe [SEP]x"));
        assertEquals(List.of("[UNK]", "[UNK]", "[UNK]"), tokenizer.tokenize("[mask]"), "lowercase is not the special token");
    }

    @Test
    void encodingWrapsTheTextInClsAndSep() {
        Encoding e = tokenizer.encode("unaffable!");
        assertEquals(List.of("[CLS]", "un", "##aff", "##able", "!", "[SEP]"), e.tokens());
        assertArrayEquals(new int[] {2, 5, 6, 7, 11, 3}, e.ids());
        assertArrayEquals(new int[6], e.typeIds());
        assertFalse(e.truncated());
    }

    @Test
    void overLongTextIsTruncatedAtTheEndOrRejected() {
        Encoding cut = tokenizer.encode("unaffable!", 4, Overflow.TRUNCATE);
        assertEquals(List.of("[CLS]", "un", "##aff", "[SEP]"), cut.tokens());
        assertTrue(cut.truncated());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode("unaffable!", 4, Overflow.FAIL));
        assertMentions(e, "\"unaffable!\"", "has 4 tokens (6 with the special tokens), more than maxLength 4");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("x", 2, Overflow.TRUNCATE)),
                "maxLength 2 leaves no room");
    }

    @Test
    void emptyOrTokenlessTextIsAnError() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("")), "has no tokens (it is empty)");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(" \t\u0000 ")),
                "only whitespace or control characters");
    }

    @Test
    void batchesArePaddedOnTheRightWithAnAttentionMask() {
        BatchEncoding batch = tokenizer.encodeBatch(List.of("cafe!", "x"), 8, Overflow.FAIL, Padding.LONGEST);
        assertEquals(Tensor.of(new long[] {2, 10, 11, 3, 2, 20, 3, 0}, 2, 4), batch.ids());
        assertEquals(Tensor.of(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, 2, 4), batch.attentionMask());
        assertEquals(Tensor.zeros(dev.hyperkron.core.DType.I64, 2, 4), batch.typeIds());
        BatchEncoding fixed = tokenizer.encodeBatch(List.of("x"), 5, Overflow.FAIL, Padding.MAX_LENGTH);
        assertEquals(Tensor.of(new long[] {2, 20, 3, 0, 0}, 1, 5), fixed.ids());
        assertEquals(5, fixed.length());
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encodeBatch(List.of("x", "unaffable!"), 4, Overflow.FAIL, Padding.LONGEST)), "text 1 of the batch");
    }

    @Test
    void looksUpTokensAndIds() {
        assertEquals(22, tokenizer.vocabSize());
        assertEquals("##aff", tokenizer.token(6));
        assertEquals(4, tokenizer.id("[MASK]"));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> tokenizer.token(99)), "no token has id 99");
    }

    @Test
    void aCasedNormalizerKeepsCaseAndAccents() throws TokenizerFileException {
        WordPieceTokenizer cased = WordPieceTokenizer.parse(TinyTokenizer.json("{\"type\": \"BertNormalizer\","
                + " \"clean_text\": true, \"handle_chinese_chars\": true, \"strip_accents\": null, \"lowercase\": false}", ""),
                "cased.json");
        assertEquals(List.of("[UNK]", "cafe"), cased.tokenize("Cafe cafe"));
        assertEquals(List.of("[UNK]"), cased.tokenize("café"));
    }

    @Test
    void rejectsTokenizerFilesItCannotReproduceNamingTheField(@TempDir Path dir) throws Exception {
        String good = TinyTokenizer.json();
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse("{\"model\": ", "t.json")),
                "t.json: not valid JSON");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"type\": \"WordPiece\", \"unk", "\"type\": \"BPE\", \"unk"), "t.json")),
                "t.json: model.type is \"BPE\", which is not supported");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"unk_token\": \"[UNK]\"", "\"unk_token\": \"<unk>\""), "t.json")),
                "model.unk_token \"<unk>\" is not in model.vocab");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"BertNormalizer\"", "\"NFKC\""), "t.json")), "normalizer.type is \"NFKC\"");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"lstrip\": false", "\"lstrip\": true"), "t.json")), "added_tokens[0]", "sets lstrip");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"##able\": 7", "\"##able\": 6"), "t.json")), "model.vocab gives id 6 to both");
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.parse(
                good.replace("\"BertPreTokenizer\"", "\"Whitespace\""), "t.json")), "pre_tokenizer.type is \"Whitespace\"");

        Path binary = Files.write(dir.resolve("model.onnx"), new byte[] {8, 7, (byte) 0xFF, (byte) 0xFE});
        assertMentions(assertThrows(TokenizerFileException.class, () -> WordPieceTokenizer.read(binary)),
                "model.onnx: not UTF-8 text, so not a tokenizer.json");
        Path file = Files.writeString(dir.resolve("tokenizer.json"), good);
        assertEquals(List.of("cafe"), WordPieceTokenizer.read(file).tokenize("Café"));
        assertMentions(assertThrows(FileNotFoundException.class, () -> WordPieceTokenizer.fromResource("no-such-tokenizer.json")),
                "class path resource no-such-tokenizer.json not found");
    }
}
