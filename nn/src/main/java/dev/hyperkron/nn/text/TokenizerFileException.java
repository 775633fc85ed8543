package dev.hyperkron.nn.text;

import java.io.IOException;

/**
 * Thrown when a tokenizer.json cannot be used: malformed JSON, a missing or mistyped field, or
 * a configuration this tokenizer does not implement (a BPE model, another normalizer). The
 * message starts with the file or resource and names the field, so a user knows which file to
 * replace and why. An {@link IOException}, so one catch covers bad and missing files.
 */
public final class TokenizerFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public TokenizerFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** The offending file or resource. */
    public String source() {
        return source;
    }
}
