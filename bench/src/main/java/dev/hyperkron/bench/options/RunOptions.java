package dev.hyperkron.bench.options;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every experiment command takes: its seed and its output folder, and where it prints. */
public final class RunOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    SeedOption seed;

    @Mixin
    OutputOption output;

    public long seed() {
        return seed.seed();
    }

    /** The output folder (see {@link OutputOption#folder}). */
    public Path folder() {
        return output.folder();
    }

    /** The command's error output. */
    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** The command's standard output, flushed by picocli when the command returns. */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }
}
