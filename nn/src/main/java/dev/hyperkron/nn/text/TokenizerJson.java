package dev.hyperkron.nn.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields of a Hugging Face tokenizer.json that a WordPiece tokenizer needs, each checked
 * for presence and type, every error naming the source and the field path (such as
 * {@code model.vocab["##ing"]}) and saying what was expected.
 */
final class TokenizerJson {
    /** A token of added_tokens, matched in text before normalization unless {@code normalized}. */
    record AddedToken(String content, int id, boolean normalized) {
    }

    /** One element of the post-processor's template for a single text: a special token, or the text itself (id null). */
    record TemplatePiece(String token, Integer id, int typeId) {
    }

    final String source;
    private final Map<String, Object> root;
    private final Map<String, Object> model;

    TokenizerJson(String source, Map<String, Object> root) throws TokenizerFileException {
        this.source = source;
        this.root = root;
        this.model = object(root.get("model"), "model");
        Object type = model.get("type");
        if (type != null && !"WordPiece".equals(type)) {
            throw error("model.type is " + describe(type) + ", which is not supported: only WordPiece models (BERT family)");
        }
    }

    private TokenizerFileException error(String problem) {
        return new TokenizerFileException(source, problem);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object value, String field) throws TokenizerFileException {
        if (!(value instanceof Map)) {
            throw error(field + " must be an object but is " + (value == null ? "missing" : describe(value)));
        }
        return (Map<String, Object>) value;
    }

    private static boolean flag(Map<String, Object> o, String key, boolean otherwise) {
        return o.get(key) instanceof Boolean b ? b : otherwise;
    }

    /** The BertNormalizer, or null for a tokenizer.json without a normalizer. */
    BertNormalizer normalizer() throws TokenizerFileException {
        Object value = root.get("normalizer");
        if (value == null) {
            return null;
        }
        Map<String, Object> n = object(value, "normalizer");
        if (!"BertNormalizer".equals(n.get("type"))) {
            throw error("normalizer.type is " + describe(n.get("type")) + ", which is not supported: only BertNormalizer");
        }
        Object strip = n.get("strip_accents");
        if (strip != null && !(strip instanceof Boolean)) {
            throw error("normalizer.strip_accents must be true, false or null but is " + describe(strip));
        }
        return new BertNormalizer(flag(n, "clean_text", true), flag(n, "handle_chinese_chars", true), (Boolean) strip,
                flag(n, "lowercase", true));
    }

    void requireBertPreTokenizer() throws TokenizerFileException {
        Object value = root.get("pre_tokenizer");
        Object type = value instanceof Map<?, ?> m ? m.get("type") : value;
        if (!"BertPreTokenizer".equals(type)) {
            throw error("pre_tokenizer.type is " + (type == null ? "missing" : describe(type))
                    + ", which is not supported: only BertPreTokenizer");
        }
    }

    Map<String, Integer> vocab() throws TokenizerFileException {
        Map<String, Object> raw = object(model.get("vocab"), "model.vocab");
        if (raw.isEmpty()) {
            throw error("model.vocab is empty");
        }
        Map<String, Integer> vocab = new HashMap<>();
        Map<Integer, String> seen = new HashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (!(e.getValue() instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
                throw error("model.vocab[" + describe(e.getKey()) + "] must be a non-negative integer id but is "
                        + describe(e.getValue()));
            }
            String previous = seen.put((int) (long) id, e.getKey());
            if (previous != null) {
                throw error("model.vocab gives id " + id + " to both " + describe(previous) + " and " + describe(e.getKey()));
            }
            vocab.put(e.getKey(), (int) (long) id);
        }
        return vocab;
    }

    void requireInVocab(Map<String, Integer> vocab, String token, String field) throws TokenizerFileException {
        if (!vocab.containsKey(token)) {
            throw error(field + " " + describe(token) + " is not in model.vocab");
        }
    }

    String modelString(String key, String otherwise) throws TokenizerFileException {
        Object value = model.getOrDefault(key, otherwise);
        if (!(value instanceof String s)) {
            throw error("model." + key + " must be a string but is " + describe(value));
        }
        return s;
    }

    int modelInt(String key, int otherwise) throws TokenizerFileException {
        Object value = model.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
            throw error("model." + key + " must be a positive integer but is " + describe(value));
        }
        return (int) (long) n;
    }

    /** added_tokens, each checked to have a string content and an integer id, and to need no option we do not implement. */
    List<AddedToken> addedTokens() throws TokenizerFileException {
        Object value = root.get("added_tokens");
        List<AddedToken> tokens = new ArrayList<>();
        if (value == null) {
            return tokens;
        }
        if (!(value instanceof List<?> list)) {
            throw error("added_tokens must be an array but is " + describe(value));
        }
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> t = object(list.get(i), "added_tokens[" + i + "]");
            if (!(t.get("content") instanceof String content) || content.isEmpty()) {
                throw error("added_tokens[" + i + "].content must be a non-empty string but is " + describe(t.get("content")));
            }
            if (!(t.get("id") instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
                throw error("added_tokens[" + i + "].id must be a non-negative integer but is " + describe(t.get("id")));
            }
            for (String option : List.of("lstrip", "rstrip", "single_word")) {
                if (flag(t, option, false)) {
                    throw error("added_tokens[" + i + "] (" + describe(content) + ") sets " + option
                            + ", which is not supported (BERT's special tokens do not)");
                }
            }
            tokens.add(new AddedToken(content, (int) (long) id, flag(t, "normalized", false)));
        }
        return tokens;
    }

    /** The post-processor's template for one text: TemplateProcessing's "single", or BertProcessing's cls and sep. */
    List<TemplatePiece> singleTemplate(Function<String, Integer> ids) throws TokenizerFileException {
        Map<String, Object> p = object(root.get("post_processor"), "post_processor");
        Object type = p.get("type");
        List<TemplatePiece> pieces = new ArrayList<>();
        if ("BertProcessing".equals(type)) {
            String cls = pairToken(p.get("cls"), "post_processor.cls");
            String sep = pairToken(p.get("sep"), "post_processor.sep");
            pieces.add(new TemplatePiece(cls, tokenId(ids, cls, "post_processor.cls"), 0));
            pieces.add(new TemplatePiece(null, null, 0));
            pieces.add(new TemplatePiece(sep, tokenId(ids, sep, "post_processor.sep"), 0));
            return pieces;
        }
        if (!"TemplateProcessing".equals(type)) {
            throw error("post_processor.type is " + describe(type)
                    + ", which is not supported: only TemplateProcessing and BertProcessing");
        }
        if (!(p.get("single") instanceof List<?> single)) {
            throw error("post_processor.single must be an array but is " + describe(p.get("single")));
        }
        int sequences = 0;
        for (int i = 0; i < single.size(); i++) {
            String field = "post_processor.single[" + i + "]";
            Map<String, Object> item = object(single.get(i), field);
            if (item.get("SpecialToken") != null) {
                Map<String, Object> special = object(item.get("SpecialToken"), field + ".SpecialToken");
                String token = (String) special.get("id");
                pieces.add(new TemplatePiece(token, tokenId(ids, token, field), typeId(special, field)));
            } else if (item.get("Sequence") != null) {
                Map<String, Object> sequence = object(item.get("Sequence"), field + ".Sequence");
                pieces.add(new TemplatePiece(null, null, typeId(sequence, field)));
                sequences++;
            } else {
                throw error(field + " must hold a SpecialToken or a Sequence but has " + item.keySet());
            }
        }
        if (sequences != 1) {
            throw error("post_processor.single must contain the text (Sequence) exactly once but does " + sequences + " times");
        }
        return pieces;
    }

    private String pairToken(Object value, String field) throws TokenizerFileException {
        if (!(value instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String token)) {
            throw error(field + " must be a [token, id] pair but is " + describe(value));
        }
        return token;
    }

    private int tokenId(Function<String, Integer> ids, String token, String field) throws TokenizerFileException {
        Integer id = token == null ? null : ids.apply(token);
        if (id == null) {
            throw error(field + " names the special token " + describe(token) + ", which is neither in model.vocab nor in added_tokens");
        }
        return id;
    }

    private int typeId(Map<String, Object> item, String field) throws TokenizerFileException {
        Object value = item.getOrDefault("type_id", 0L);
        if (!(value instanceof Long t) || t < 0 || t > Integer.MAX_VALUE) {
            throw error(field + ".type_id must be a non-negative integer but is " + describe(value));
        }
        return (int) (long) t;
    }

    /** The padding id: padding.pad_id when tokenizer.json configures padding, else the id of [PAD]; null if neither. */
    Integer padId(Function<String, Integer> ids) throws TokenizerFileException {
        Object value = root.get("padding");
        if (value == null) {
            return ids.apply("[PAD]");
        }
        Object padId = object(value, "padding").get("pad_id");
        if (!(padId instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
            throw error("padding.pad_id must be a non-negative integer but is " + describe(padId));
        }
        return (int) (long) id;
    }
}
