package dev.hyperkron.spark;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --master} and {@code --task-attempts}: where a command's Spark jobs run and how often a task is tried. */
public final class SparkOptions {
    /** The master when neither --master nor spark-submit names one: embedded, on every core. */
    static final String DEFAULT_MASTER = "local[*]";

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[N] or local[*] (embedded), "
            + "spark://HOST:PORT, yarn, k8s://... (default: the one spark-submit was given, else " + DEFAULT_MASTER + ").")
    String master;

    @Option(names = "--task-attempts", paramLabel = "N", description = "Attempts per Spark task before the job fails "
            + "(spark.task.maxFailures; local masters get local[N,attempts]) (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + SparkSessions.DEFAULT_TASK_ATTEMPTS)
    int taskAttempts;

    /** Refuses an empty master or fewer than one attempt, before Spark starts. */
    public void validate() {
        if (master == null) {
            master = System.getProperty("spark.master", DEFAULT_MASTER);
        }
        if (master.isBlank()) {
            throw new UserError("--master must name a Spark master (local[2], spark://host:7077, yarn), got ''");
        }
        if (master.startsWith("local") && !SparkSessions.isLocal(master)) {
            throw new UserError("--master " + master + " is not a local master: use local, local[N], local[*] or local[N,F]");
        }
        Checks.atLeast("--task-attempts", taskAttempts, 1);
    }

    /** The master in effect (after {@link #validate}). */
    public String master() {
        validate();
        return master;
    }

    /**
     * Opens the session (validated first); closing it stops Spark unless the session was already
     * running (a test's, or an application's that called the command).
     */
    public Session open(String app) {
        validate();
        boolean running = SparkSession.getDefaultSession().isDefined();
        return new Session(SparkSessions.open(master, app, taskAttempts), !running);
    }

    /** A Spark session that a command opened, stopped on close when the command started it. */
    public record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }
}
