package dev.hyperkron.spark.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep: a command of the app with its arguments, and the grid values that chose
 * them. Serializable, because it travels to the Spark task that runs it.
 *
 * @param id      stable name of the run: the grid values plus a hash of the whole command line, so
 *                that a re-run finds it and another --fixed never reuses it
 * @param command the app's command (hyperclean, figure2, ...)
 * @param args    the command's arguments without --out
 * @param values  grid key to value, in grid order
 */
public record Configuration(String id, String command, List<String> args, Map<String, String> values)
        implements Serializable {

    public Configuration {
        args = List.copyOf(args);
        values = new LinkedHashMap<>(values);
    }

    /** The app's command line for this run, writing into {@code out}. */
    public String[] commandLine(String out) {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(args);
        line.add("--out");
        line.add(out);
        return line.toArray(String[]::new);
    }
}
