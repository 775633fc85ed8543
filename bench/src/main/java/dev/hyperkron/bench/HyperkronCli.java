package dev.hyperkron.bench;

import dev.hyperkron.bench.cli.CliErrors;
import dev.hyperkron.bench.cli.DemoCommand;
import dev.hyperkron.bench.cli.HypercleanCommand;
import dev.hyperkron.bench.cli.IhvpTradeoffCommand;
import dev.hyperkron.bench.cli.KfacMemoryCommand;
import dev.hyperkron.bench.cli.TextCleanCommand;
import dev.hyperkron.bench.perf.BenchAutodiffCommand;
import dev.hyperkron.bench.perf.BenchBilevelCommand;
import dev.hyperkron.bench.perf.BenchTrainingCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperkron} command line: the demo, the experiments and the benchmarks. */
@Command(name = "hyperkron", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Curvature-aware bilevel optimization on the JVM: KFAC-based hypergradients.",
        subcommands = {DemoCommand.class, HypercleanCommand.class, TextCleanCommand.class, IhvpTradeoffCommand.class,
                KfacMemoryCommand.class, BenchAutodiffCommand.class, BenchTrainingCommand.class, BenchBilevelCommand.class,
                CommandLine.HelpCommand.class})
public final class HyperkronCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 bad arguments). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output and error writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new HyperkronCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(CliErrors::badArguments);
        cli.setExecutionExceptionHandler(CliErrors::failed);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
