package dev.hyperkron.nn.text;

import java.util.List;

/** A tokenizer.json small enough to reason about by hand, in the layout Hugging Face writes for BERT. */
final class TinyTokenizer {
    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "un", "##aff", "##able", "want", "##ed", "cafe", "!", "'", "t", "don", "@", "example", ".", "com", "我", "x", "##x");

    private TinyTokenizer() {
    }

    /** The JSON with the given model and normalizer members, the rest as BERT has it. */
    static String json(String normalizer, String modelExtras) {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < VOCAB.size(); i++) {
            vocab.append(i == 0 ? "" : ", ").append('"').append(VOCAB.get(i)).append("\": ").append(i);
        }
        String added = "";
        for (int i = 0; i < 5; i++) {
            added += (i == 0 ? "" : ", ") + "{\"id\": " + i + ", \"content\": \"" + VOCAB.get(i) + "\", \"single_word\": false,"
                    + " \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}";
        }
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [" + added + "],"
                + " \"normalizer\": " + normalizer + ","
                + " \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"},"
                + " \"post_processor\": {\"type\": \"TemplateProcessing\","
                + "   \"single\": [{\"SpecialToken\": {\"id\": \"[CLS]\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
                + "              {\"SpecialToken\": {\"id\": \"[SEP]\", \"type_id\": 0}}],"
                + "   \"pair\": [], \"special_tokens\": {}},"
                + " \"decoder\": {\"type\": \"WordPiece\", \"prefix\": \"##\", \"cleanup\": true},"
                + " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"continuing_subword_prefix\": \"##\","
                + modelExtras + " \"vocab\": {" + vocab + "}}}";
    }

    static String json() {
        return json("{\"type\": \"BertNormalizer\", \"clean_text\": true, \"handle_chinese_chars\": true,"
                + " \"strip_accents\": null, \"lowercase\": true}", " \"max_input_chars_per_word\": 9,");
    }

    static WordPieceTokenizer tokenizer() {
        try {
            return WordPieceTokenizer.parse(json(), "tiny-tokenizer.json");
        } catch (TokenizerFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
