package dev.hyperkron.bench;

import dev.hyperkron.bench.cli.CliErrors;
import dev.hyperkron.bench.cli.DemoCommand;
import dev.hyperkron.bench.cli.Figure2Command;
import dev.hyperkron.bench.cli.Figure3Command;
import dev.hyperkron.bench.cli.Figure5Command;
import dev.hyperkron.bench.cli.HypercleanCommand;
import dev.hyperkron.bench.cli.IhvpTradeoffCommand;
import dev.hyperkron.bench.cli.InfluenceCommand;
import dev.hyperkron.bench.cli.KfacMemoryCommand;
import dev.hyperkron.bench.cli.MetaLearnCommand;
import dev.hyperkron.bench.cli.PaperCommand;
import dev.hyperkron.bench.cli.PoisonCommand;
import dev.hyperkron.bench.cli.TextCleanCommand;
import dev.hyperkron.bench.perf.BenchAutodiffCommand;
import dev.hyperkron.bench.perf.BenchBilevelCommand;
import dev.hyperkron.bench.perf.BenchTrainingCommand;
import dev.hyperkron.bench.perf.BenchTransformerCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperkron} command line: the demo, the experiments and the benchmarks. */
@Command(name = "hyperkron", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Curvature-aware bilevel optimization on the JVM: KFAC-based hypergradients.",
        footer = {"", "The optional Spark module adds sweep (grids of these commands as Spark tasks) and "
                + "spark-influence; ./hyperkron builds it on first use: ./hyperkron sweep --help."},
        subcommands = {DemoCommand.class, HypercleanCommand.class, TextCleanCommand.class, IhvpTradeoffCommand.class,
                InfluenceCommand.class, MetaLearnCommand.class, PoisonCommand.class, KfacMemoryCommand.class,
                BenchAutodiffCommand.class, BenchTrainingCommand.class, BenchBilevelCommand.class,
                BenchTransformerCommand.class, Figure2Command.class, Figure3Command.class, Figure5Command.class, PaperCommand.class,
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

    /**
     * A command line for {@code root} (this app's, or another launcher's such as the Spark module's)
     * that writes to the given writers and answers bad arguments with exit code 2 and failures with
     * one line, as every hyperkron command does.
     */
    public static CommandLine commandLine(Object root, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(CliErrors::badArguments);
        cli.setExecutionExceptionHandler(CliErrors::failed);
        return cli;
    }

    /** Runs the command line with the given output and error writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(new HyperkronCli(), out, err);
        try {
            return cli.execute(args);
        } catch (ExceptionInInitializerError e) {
            // A bad -Dhyperkron.threads or -Dhyperkron.kernels fails the class that reads it; its
            // message names the property and the value.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("hyperkron: " + cause.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            err.println(String.format(java.util.Locale.ROOT, "hyperkron: out of memory (%s) with a heap of %.1f GB: give "
                    + "the JVM more with HYPERKRON_JAVA_OPTS=-Xmx<size>, or use a smaller model, batch or data set",
                    e.getMessage(), Runtime.getRuntime().maxMemory() / 1e9));
            return 1;
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
