package dev.hyperkron.spark;

import dev.hyperkron.bench.Version;
import dev.hyperkron.bench.HyperkronCli;
import dev.hyperkron.spark.influence.SparkInfluenceCommand;
import dev.hyperkron.spark.sweep.SweepCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Spark commands of the {@code hyperkron} command line, in their own entry point so that the
 * app (and {@code ./hyperkron demo}) never loads Spark: {@code ./hyperkron sweep} and
 * {@code ./hyperkron spark-influence} start here, and so does spark-submit on a cluster.
 */
@Command(name = "hyperkron", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Hyperkron on Apache Spark: distributed sweeps and data-parallel curvature.",
        subcommands = {SweepCommand.class, SparkInfluenceCommand.class, CommandLine.HelpCommand.class})
public final class SparkCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given output and error writers; 0 ok, 1 failure, 2 bad arguments. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = HyperkronCli.commandLine(new SparkCli(), out, err);
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
