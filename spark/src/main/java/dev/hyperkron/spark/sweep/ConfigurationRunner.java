package dev.hyperkron.spark.sweep;

import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Path;

/** Runs one configuration into a folder and returns its exit code; Serializable so that Spark ships it to tasks. */
@FunctionalInterface
public interface ConfigurationRunner extends Serializable {
    int run(Configuration configuration, Path out, PrintWriter output);
}
