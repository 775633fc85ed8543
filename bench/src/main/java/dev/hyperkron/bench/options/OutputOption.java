package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
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
     * The folder given, or hyperkron-out/COMMAND. Refused before a run spends its budget when
     * empty, when it is a file, or when it (or the folder it would be created in) is not a
     * writable folder; it is created only when the first result is written.
     */
    public Path folder() {
        if (out != null && out.toString().isBlank()) {
            throw new UserError("--out must name a folder, got an empty path");
        }
        Path folder = out == null ? Path.of("hyperkron-out", commandName()) : out;
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UserError("--out " + folder + " is a file, not a folder");
        }
        Path existing = folder.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new UserError("--out " + folder + " cannot be created: " + existing + " is a file");
        }
        if (!Files.isWritable(existing)) {
            throw new UserError("--out " + folder + " is not writable (" + existing + " is not)");
        }
        return folder;
    }

    /**
     * The name of the command this option belongs to. Mixed into another mixin (RunOptions), the
     * spec picocli injects is that mixin's, whose own name is a placeholder; its command line is
     * the command's.
     */
    private String commandName() {
        return command.commandLine() != null ? command.commandLine().getCommandName() : command.name();
    }
}
