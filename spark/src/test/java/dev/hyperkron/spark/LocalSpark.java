package dev.hyperkron.spark;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark the tests share per class: local[2], no UI, bound to 127.0.0.1. */
public final class LocalSpark {
    public static final String MASTER = "local[2]";

    private LocalSpark() {
    }

    /** Starts (or returns) the test session; stop it in @AfterAll. */
    public static SparkSession start() {
        return SparkSessions.open(MASTER, "hyperkron tests", SparkSessions.DEFAULT_TASK_ATTEMPTS);
    }
}
