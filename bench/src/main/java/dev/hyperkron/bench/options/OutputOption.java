package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --out}: the folder a command writes its results to, hyperkron-out/COMMAND by default. */
public final class OutputOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: hyperkron-out/<command>).")
    Path out;

    /**
     * The folder given, or hyperkron-out/COMMAND, created if needed. Refused (before a run spends
     * its budget) when empty, when it is a file, or when it cannot be created or written.
     */
    public Path folder() {
        if (out != null && out.toString().isBlank()) {
            throw new UserError("--out must name a folder, got an empty path");
        }
        Path folder = out == null ? Path.of("hyperkron-out", command.name()) : out;
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UserError("--out " + folder + " is a file, not a folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UserError("--out " + folder + ": cannot create the folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(folder)) {
            throw new UserError("--out " + folder + " is not writable");
        }
        return folder;
    }
}
