package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** One-line errors: exit code 2 for bad arguments, 1 for a failed run (no stack traces for users). */
public final class CliErrors {
    private CliErrors() {
    }

    public static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("hyperkron: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return 2;
    }

    public static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (e instanceof UserError) {
            cmd.getErr().println("hyperkron: " + e.getMessage());
            return 2;
        }
        if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalStateException) {
            cmd.getErr().println("hyperkron: " + e.getMessage());
            return 1;
        }
        cmd.getErr().println("hyperkron: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
