package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
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

    /** The folder given, or hyperkron-out/COMMAND; an empty path is refused rather than meaning the current folder. */
    public Path folder() {
        if (out == null) {
            return Path.of("hyperkron-out", command.name());
        }
        if (out.toString().isBlank()) {
            throw new UserError("--out must name a folder, got an empty path");
        }
        return out;
    }
}
