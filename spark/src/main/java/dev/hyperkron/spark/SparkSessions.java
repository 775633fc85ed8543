package dev.hyperkron.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the Spark session every command and test uses: in local mode bound to 127.0.0.1 with the
 * web UI off (an embedded engine needs neither a network nor a port), and with Spark's task
 * retries on in local mode too (Spark retries tasks on a cluster by default, never in plain
 * {@code local[N]}).
 */
public final class SparkSessions {
    /** Attempts per task: Spark's default spark.task.maxFailures on a cluster. */
    public static final int DEFAULT_TASK_ATTEMPTS = 4;

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[0-9]+)(,[0-9]+)?])?");

    private SparkSessions() {
    }

    /** A session on {@code master} (local[N], spark://host:port, yarn, k8s://...) named {@code app}. */
    public static SparkSession open(String master, String app, int taskAttempts) {
        SparkSession.Builder builder = SparkSession.builder().appName(app).master(withAttempts(master, taskAttempts))
                .config("spark.task.maxFailures", taskAttempts)
                .config("spark.ui.enabled", false)
                .config("spark.ui.showConsoleProgress", false);
        if (isLocal(master)) {
            builder.config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", 4);
        }
        SparkSession session = builder.getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        return session;
    }

    /** Whether {@code master} is Spark's local mode ({@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}). */
    public static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * {@code local[N]} as {@code local[N,attempts]}, the only way local mode retries a failed task;
     * other masters unchanged (they read spark.task.maxFailures).
     */
    static String withAttempts(String master, int attempts) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches() || m.group(3) != null) {
            return master;
        }
        return "local[" + (m.group(2) == null ? "1" : m.group(2)) + "," + attempts + "]";
    }
}
