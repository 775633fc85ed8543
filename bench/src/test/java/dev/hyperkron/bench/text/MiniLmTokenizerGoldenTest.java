package dev.hyperkron.bench.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.text.BatchEncoding;
import dev.hyperkron.nn.text.BertCheckpoint;
import dev.hyperkron.nn.text.Encoding;
import dev.hyperkron.nn.text.Trec;
import dev.hyperkron.nn.text.WordPieceTokenizer;
import dev.hyperkron.nn.text.WordPieceTokenizer.Overflow;
import dev.hyperkron.nn.text.WordPieceTokenizer.Padding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The all-MiniLM-L6-v2 tokenizer.json from the app's runtime dependency, tokenized by {@link
 * WordPieceTokenizer}, against wordpiece-golden.json, which bench/scripts/wordpiece_reference.py
 * writes with Hugging Face tokenizers: tricky sentences token for token, truncated and padded
 * batches, and every TREC question (a SHA-256 over the id lines per split).
 */
class MiniLmTokenizerGoldenTest {
    private static final Path TREC = Path.of("../../shared/data/trec");
    private static WordPieceTokenizer tokenizer;
    private static Map<String, Object> golden;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = WordPieceTokenizer.fromResource(BertCheckpoint.MINILM_TOKENIZER_RESOURCE);
        golden = Golden.read("wordpiece-golden.json");
    }

    @Test
    void trickySentencesMatchHuggingFaceTokenForToken() {
        for (Object c : Golden.list(golden.get("cases"))) {
            Map<String, Object> expected = Golden.object(c);
            String text = (String) expected.get("text");
            Encoding e = tokenizer.encode(text);
            assertEquals(expected.get("tokens"), e.tokens(), text);
            assertArrayEquals(Golden.ints(expected.get("ids")), e.ids(), text);
        }
    }

    /** minilm-forward-golden.json (for the encoder's forward pass) feeds the model these ids; they must stay ours. */
    @Test
    void theForwardPassGoldenUsesThisTokenizersIds() {
        Map<String, Object> forward = Golden.read("minilm-forward-golden.json");
        List<String> texts = new ArrayList<>();
        for (Object s : Golden.list(forward.get("sentences"))) {
            Map<String, Object> sentence = Golden.object(s);
            texts.add((String) sentence.get("text"));
            assertArrayEquals(Golden.ints(sentence.get("ids")), tokenizer.encode((String) sentence.get("text")).ids());
        }
        assertEquals(forward.get("padded_length"),
                (long) tokenizer.encodeBatch(texts, 512, Overflow.FAIL, Padding.LONGEST).length());
    }

    @Test
    void truncatedAndPaddedBatchesMatchHuggingFace() {
        Map<String, Object> batch = Golden.object(golden.get("batch"));
        int maxLength = (int) (long) (Long) batch.get("max_length");
        Map<String, Object> paddings = Golden.object(batch.get("padding"));
        for (Padding padding : Padding.values()) {
            List<Object> expected = Golden.list(paddings.get(padding.name().toLowerCase()));
            List<String> texts = expected.stream().map(e -> (String) Golden.object(e).get("text")).collect(Collectors.toList());
            BatchEncoding got = tokenizer.encodeBatch(texts, maxLength, Overflow.TRUNCATE, padding);
            int length = Golden.ints(Golden.object(expected.get(0)).get("ids")).length;
            assertEquals(matrix(expected, "ids", length), got.ids(), padding + " ids");
            assertEquals(matrix(expected, "attention_mask", length), got.attentionMask(), padding + " mask");
            assertEquals(matrix(expected, "type_ids", length), got.typeIds(), padding + " type ids");
        }
    }

    private static Tensor matrix(List<Object> rows, String field, int length) {
        long[] values = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            int[] row = Golden.ints(Golden.object(rows.get(r)).get(field));
            for (int j = 0; j < length; j++) {
                values[r * length + j] = row[j];
            }
        }
        return Tensor.of(values, rows.size(), length);
    }

    /** Each code point between two letters: its class (control, accent, punctuation, CJK, whitespace, letter) shows. */
    @Test
    void everyCodePointOfTheFirstTwoPlanesTokenizesAsInHuggingFace() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int c = 0; c < 0x20000; c++) {
            if (c >= 0xD800 && c < 0xE000) {
                continue;
            }
            sha.update(idLine(tokenizer.encode("x" + Character.toString(c) + "y").ids()));
        }
        assertEquals(Golden.object(golden.get("every_code_point_below_20000")).get("id_lines_sha256"),
                HexFormat.of().formatHex(sha.digest()),
                "some code point tokenizes differently; compare \"x{c}y\" with bench/scripts/bert_char_classes.py's table");
    }

    private static byte[] idLine(int[] ids) {
        return (Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everyTrecQuestionMatchesHuggingFace() throws IOException, NoSuchAlgorithmException {
        assumeTrue(Files.isDirectory(TREC), "TREC data not found at " + TREC.toAbsolutePath() + "; skipping");
        Trec trec = Trec.load(TREC);
        Map<String, Object> expected = Golden.object(golden.get("trec"));
        checkSplit("train", trec.train().texts(), Golden.object(expected.get("train")));
        checkSplit("valid", trec.validation().texts(), Golden.object(expected.get("valid")));
        checkSplit("test", trec.test().texts(), Golden.object(expected.get("test")));
    }

    @Test
    void theReadmeExampleBatchesTrecQuestions() throws IOException {
        assumeTrue(Files.isDirectory(TREC), "TREC data not found at " + TREC.toAbsolutePath() + "; skipping");
        Trec trec = Trec.load(TREC);
        BatchEncoding batch = tokenizer.encodeBatch(trec.noisyTrain().texts().subList(0, 32), 48,
                WordPieceTokenizer.Overflow.TRUNCATE, WordPieceTokenizer.Padding.LONGEST);
        assertEquals(32, batch.ids().dim(0));
        assertEquals(batch.ids().shape(), batch.attentionMask().shape());
        assertEquals(5033, trec.noisyTrain().labels().dim(0));
    }

    private static void checkSplit(String split, List<String> texts, Map<String, Object> expected)
            throws NoSuchAlgorithmException {
        for (Object f : Golden.list(expected.get("first"))) {
            Map<String, Object> first = Golden.object(f);
            assertArrayEquals(Golden.ints(first.get("ids")), tokenizer.encode((String) first.get("text")).ids(), split);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long tokens = 0;
        int longest = 0;
        for (String text : texts) {
            int[] ids = tokenizer.encode(text).ids();
            tokens += ids.length;
            longest = Math.max(longest, ids.length);
            sha.update(idLine(ids));
        }
        assertEquals(expected.get("questions"), (long) texts.size(), split + " questions");
        assertEquals(expected.get("tokens"), tokens, split + " tokens");
        assertEquals(expected.get("longest"), (long) longest, split + " longest");
        assertEquals(expected.get("id_lines_sha256"), HexFormat.of().formatHex(sha.digest()), split + " ids of every question");
    }
}
