package dev.hyperkron.nn.data;

import java.io.IOException;

/**
 * Thrown when a data set file (CSV, CIFAR-10 batch, IDX pair) is malformed or inconsistent: the
 * message starts with the file (or resource) and then says what is wrong, with line or record
 * numbers where they help. An {@link IOException}, so one catch covers bad and missing files.
 */
public final class DatasetFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public DatasetFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** The offending file or resource. */
    public String source() {
        return source;
    }
}
