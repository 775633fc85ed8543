package dev.hyperkron.spark.sweep;

import dev.hyperkron.bench.HyperkronCli;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Runs a configuration with the app's own command line ({@link HyperkronCli}), exactly as
 * {@code hyperkron COMMAND ARGS --out DIR} would: the sweep never re-implements an experiment. Its
 * output, progress bars included, goes to the run's log.
 */
public final class AppCommandRunner implements ConfigurationRunner {
    private static final long serialVersionUID = 1L;

    @Override
    public int run(Configuration configuration, Path out, PrintWriter output) {
        try (ThreadRoutedErr.Scope route = ThreadRoutedErr.routeTo(output)) {
            return HyperkronCli.execute(output, output, configuration.commandLine(out.toString()));
        }
    }
}
