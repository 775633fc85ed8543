package dev.hyperkron.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one gate every result file passes before it is written: its folder exists, and the file
 * is not a symbolic link, which would make a run overwrite a file outside its output folder.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Creates the parent folders of {@code file} and refuses a symbolic link at {@code file}. */
    public static void prepare(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; refusing to write results through it");
        }
    }
}
