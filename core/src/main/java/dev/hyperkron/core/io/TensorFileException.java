package dev.hyperkron.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a tensor file (safetensors, IDX, NumPy .npy, ONNX) is malformed: its message
 * always starts with the file (or, for a class path resource, the resource's name) and then
 * says what is wrong. It is a checked {@link IOException} on purpose: a bad file is an I/O
 * outcome callers must handle just like a missing one, and one {@code catch (IOException e)}
 * covers both.
 */
public final class TensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String source;

    public TensorFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public TensorFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.source = String.valueOf(file);
    }

    /** For data that is not a file of its own, such as a class path resource named by {@code source}. */
    public TensorFileException(String source, String problem) {
        super(source + ": " + problem);
        this.file = null;
        this.source = source;
    }

    /** The offending file, or null when the data came from elsewhere (see {@link #source()}). */
    public Path file() {
        return file;
    }

    /** The offending file or resource as the message names it. */
    public String source() {
        return source;
    }
}
