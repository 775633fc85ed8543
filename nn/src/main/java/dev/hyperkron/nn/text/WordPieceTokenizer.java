package dev.hyperkron.nn.text;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.io.Json;
import dev.hyperkron.core.io.JsonException;
import dev.hyperkron.nn.text.TokenizerJson.AddedToken;
import dev.hyperkron.nn.text.TokenizerJson.TemplatePiece;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WordPiece tokenizer of BERT-family models, read from a Hugging Face tokenizer.json and
 * matching the {@code tokenizers} library token for token, so a pretrained encoder sees the
 * ids it was trained on. Pipeline: special tokens written in the text ([CLS], [SEP], [UNK],
 * [PAD], [MASK] and the other added tokens) are matched first, exactly and case-sensitively;
 * the rest is normalized ({@link BertNormalizer}), split into words ({@link
 * BertPreTokenizer}) and each word into the longest vocabulary pieces from the left, pieces
 * after the first carrying the {@code ##} prefix; a word with no such split, or longer than
 * {@code max_input_chars_per_word} characters, becomes [UNK]. The post-processor's template
 * then adds [CLS] and [SEP].
 *
 * <p>Texts longer than a maximum length are cut at the end ({@link Overflow#TRUNCATE}) or
 * rejected ({@link Overflow#FAIL}); batches are padded on the right. Only single texts are
 * encoded (no sentence pairs); text that yields no token at all is an error, since a model
 * input of [CLS] [SEP] alone is almost always a data bug.
 */
public final class WordPieceTokenizer {
    /** What to do with a text longer than the maximum length. */
    public enum Overflow {
        /** Drop tokens from the end (the special tokens stay), as Hugging Face's truncation does. */
        TRUNCATE,
        /** Throw an IllegalArgumentException naming the text and both lengths. */
        FAIL
    }

    /** How long a padded batch is. */
    public enum Padding {
        /** As long as its longest text: the cheapest. */
        LONGEST,
        /** Exactly the maximum length: the same shape for every batch. */
        MAX_LENGTH
    }

    private final String source;
    private final BertNormalizer normalizer;
    private final Map<String, Integer> vocab;
    private final Map<Integer, String> tokensById;
    private final String unkToken;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final List<AddedToken> addedTokens;
    private final List<TemplatePiece> template;
    private final int specialCount;
    private final Integer padId;

    private WordPieceTokenizer(TokenizerJson json) throws TokenizerFileException {
        this.source = json.source;
        this.normalizer = json.normalizer();
        json.requireBertPreTokenizer();
        this.vocab = json.vocab();
        this.tokensById = new HashMap<>();
        vocab.forEach((token, id) -> tokensById.put(id, token));
        this.unkToken = json.modelString("unk_token", "[UNK]");
        json.requireInVocab(vocab, unkToken, "model.unk_token");
        this.prefix = json.modelString("continuing_subword_prefix", "##");
        this.maxInputCharsPerWord = json.modelInt("max_input_chars_per_word", 100);
        this.addedTokens = List.copyOf(json.addedTokens());
        addedTokens.forEach(t -> tokensById.putIfAbsent(t.id(), t.content()));
        this.template = List.copyOf(json.singleTemplate(this::idOf));
        this.specialCount = (int) template.stream().filter(piece -> piece.id() != null).count();
        this.padId = json.padId(this::idOf);
    }

    /** Reads a tokenizer.json file. */
    public static WordPieceTokenizer read(Path tokenizerJson) throws IOException {
        String text;
        try {
            text = Files.readString(tokenizerJson, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new TokenizerFileException(tokenizerJson.toString(), "not UTF-8 text, so not a tokenizer.json");
        }
        return parse(text, tokenizerJson.toString());
    }

    /**
     * Reads a tokenizer.json from the class path (for example {@code all-minilm-l6-v2-tokenizer.json},
     * which the app's langchain4j dependency carries). A missing resource is an error that says so.
     */
    public static WordPieceTokenizer fromResource(String resource) throws IOException {
        try (InputStream in = Resources.open(resource, "tokenizer.json")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "class path resource " + resource);
        }
    }

    /** Parses tokenizer.json text; {@code source} names it in errors. */
    public static WordPieceTokenizer parse(String json, String source) throws TokenizerFileException {
        Map<String, Object> root;
        try {
            root = Json.parseObject(json);
        } catch (JsonException e) {
            throw new TokenizerFileException(source, "not valid JSON: " + e.getMessage());
        }
        return new WordPieceTokenizer(new TokenizerJson(source, root));
    }

    /** Number of ids (vocabulary plus added tokens beyond it): the rows a word-embedding table needs. */
    public int vocabSize() {
        int max = -1;
        for (int id : tokensById.keySet()) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    /** The token with this id, such as "##ing". */
    public String token(int id) {
        String t = tokensById.get(id);
        if (t == null) {
            throw new IllegalArgumentException("WordPieceTokenizer " + source + ": no token has id " + id
                    + " (ids run from 0 to " + (vocabSize() - 1) + ")");
        }
        return t;
    }

    /** The id of a token; an unknown token is an error (use {@link #tokenize} for text). */
    public int id(String token) {
        Integer id = idOf(token);
        if (id == null) {
            throw new IllegalArgumentException("WordPieceTokenizer " + source + ": \"" + token + "\" is not a token");
        }
        return id;
    }

    private Integer idOf(String token) {
        for (AddedToken t : addedTokens) {
            if (t.content().equals(token)) {
                return t.id();
            }
        }
        return vocab.get(token);
    }

    /** The tokens of {@code text} without the template's special tokens. */
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (Object piece : splitOnAddedTokens(text, false)) {
            if (piece instanceof AddedToken t) {
                tokens.add(t.content());
                continue;
            }
            String normalized = normalizer == null ? (String) piece : normalizer.normalize((String) piece);
            for (Object part : splitOnAddedTokens(normalized, true)) {
                if (part instanceof AddedToken t) {
                    tokens.add(t.content());
                } else {
                    for (String word : BertPreTokenizer.split((String) part)) {
                        wordPieces(word, tokens);
                    }
                }
            }
        }
        return tokens;
    }

    /**
     * Splits text at the added tokens whose {@code normalized} flag is {@code normalized}:
     * leftmost match first, the longest one where several start at the same place. Returns
     * strings (text between matches, never empty) and AddedTokens.
     */
    private List<Object> splitOnAddedTokens(String text, boolean normalized) {
        List<Object> pieces = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = null;
            for (AddedToken t : addedTokens) {
                if (t.normalized() == normalized && !t.content().isEmpty() && text.startsWith(t.content(), i)
                        && (match == null || t.content().length() > match.content().length())) {
                    match = t;
                }
            }
            if (match == null) {
                i++;
                continue;
            }
            if (i > start) {
                pieces.add(text.substring(start, i));
            }
            pieces.add(match);
            i += match.content().length();
            start = i;
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** Greedy longest-match-first WordPiece over code points; the whole word is [UNK] when any part fails. */
    private void wordPieces(String word, List<String> out) {
        int[] chars = word.codePoints().toArray();
        if (chars.length > maxInputCharsPerWord) {
            out.add(unkToken);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < chars.length) {
            String found = null;
            int end = chars.length;
            while (end > start) {
                String candidate = new String(chars, start, end - start);
                if (start > 0) {
                    candidate = prefix + candidate;
                }
                if (vocab.containsKey(candidate)) {
                    found = candidate;
                    break;
                }
                end--;
            }
            if (found == null) {
                out.add(unkToken);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    /** The whole text with the template's special tokens, however long. */
    public Encoding encode(String text) {
        return encode(text, Integer.MAX_VALUE, Overflow.FAIL);
    }

    /**
     * One text with the template's special tokens, at most {@code maxLength} tokens in all
     * (special tokens included, as in Hugging Face's truncation).
     */
    public Encoding encode(String text, int maxLength, Overflow overflow) {
        if (maxLength <= specialCount) {
            throw new IllegalArgumentException("WordPieceTokenizer: maxLength " + maxLength + " leaves no room for text"
                    + " besides the " + specialCount + " special tokens of the template");
        }
        List<String> tokens = tokenize(text);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("WordPieceTokenizer: the text " + quote(text) + " has no tokens"
                    + (text.isEmpty() ? " (it is empty)" : " (only whitespace or control characters)"));
        }
        int room = maxLength - specialCount;
        boolean truncated = tokens.size() > room;
        if (truncated && overflow == Overflow.FAIL) {
            throw new IllegalArgumentException("WordPieceTokenizer: the text " + quote(text) + " has " + tokens.size()
                    + " tokens (" + (tokens.size() + specialCount) + " with the special tokens), more than maxLength "
                    + maxLength + "; raise maxLength or use Overflow.TRUNCATE");
        }
        if (truncated) {
            tokens = tokens.subList(0, room);
        }
        List<String> all = new ArrayList<>();
        List<Integer> typeIds = new ArrayList<>();
        for (TemplatePiece piece : template) {
            if (piece.id() != null) {
                all.add(piece.token());
                typeIds.add(piece.typeId());
            } else {
                for (String t : tokens) {
                    all.add(t);
                    typeIds.add(piece.typeId());
                }
            }
        }
        int[] ids = new int[all.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf(all.get(i));
        }
        return new Encoding(all, ids, typeIds.stream().mapToInt(Integer::intValue).toArray(), truncated);
    }

    /** Texts encoded as {@link #encode(String, int, Overflow)} and padded on the right with [PAD]. */
    public BatchEncoding encodeBatch(List<String> texts, int maxLength, Overflow overflow, Padding padding) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("WordPieceTokenizer: cannot encode an empty batch");
        }
        if (padId == null) {
            throw new IllegalArgumentException("WordPieceTokenizer " + source + ": no padding token ([PAD] or the "
                    + "padding.pad_token of tokenizer.json), so batches cannot be padded");
        }
        List<Encoding> encodings = new ArrayList<>();
        int longest = 0;
        for (int i = 0; i < texts.size(); i++) {
            try {
                encodings.add(encode(texts.get(i), maxLength, overflow));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("text " + i + " of the batch: " + e.getMessage(), e);
            }
            longest = Math.max(longest, encodings.get(i).length());
        }
        int length = padding == Padding.LONGEST ? longest : maxLength;
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < encodings.size(); b++) {
            int[] e = encodings.get(b).ids();
            int[] t = encodings.get(b).typeIds();
            for (int j = 0; j < e.length; j++) {
                ids[b * length + j] = e[j];
                mask[b * length + j] = 1;
                types[b * length + j] = t[j];
            }
        }
        int batch = texts.size();
        return new BatchEncoding(Tensor.of(ids, batch, length), Tensor.of(mask, batch, length),
                Tensor.of(types, batch, length), encodings);
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"";
    }
}
