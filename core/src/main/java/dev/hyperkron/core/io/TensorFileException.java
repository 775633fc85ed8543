package dev.hyperkron.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a tensor file (safetensors, IDX) is malformed: its message always starts with
 * the file and then says what is wrong. It is a checked {@link IOException} on purpose: a bad
 * file is an I/O outcome callers must handle just like a missing one, and one
 * {@code catch (IOException e)} covers both.
 */
public final class TensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public TensorFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TensorFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
