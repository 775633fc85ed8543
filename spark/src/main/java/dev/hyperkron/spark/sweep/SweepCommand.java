package dev.hyperkron.spark.sweep;

import dev.hyperkron.bench.HyperkronCli;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.OutputOption;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.spark.SparkOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a grid of one command's configurations as Spark tasks, one run per task, and gathers the results. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a grid of configurations of one of the app's commands as Spark tasks, one run per task "
                + "(each deterministic by its --seed), in local mode by default or on a cluster. Each finished run is "
                + "published atomically into OUT/runs/ID (the command's own files and its log); a task that fails is "
                + "retried by Spark, and a re-run of the same sweep skips the configurations already finished.",
                "Gathers every run's results.csv with its grid values (columns grid_KEY) into one DataFrame, writes "
                        + "OUT/results.parquet and OUT/results.csv, and prints and plots (OUT/METRIC.svg/png) the "
                        + "mean of --metric over seeds per grid point.",
                "Example (12 configurations): hyperkron sweep --command hyperclean --grid method=aid-kfac,aid-cg "
                        + "--grid seed=0,1,2 --grid damping=0.001,0.01 --fixed \"--steps 20 --warmup-steps 0\" "
                        + "--master local[2]"})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--command", required = true, paramLabel = "NAME", description = "The command to sweep: "
            + "hyperclean, text-clean, figure2, figure3, figure5, meta-learn, poison or influence.")
    String command;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2", description = "A swept option of the command, KEY without its "
            + "dashes (repeat for more axes; the grid is their product, the first varying slowest).")
    List<String> axes = new ArrayList<>();

    @Option(names = "--fixed", paramLabel = "ARGS", description = "Arguments every configuration gets, split at "
            + "spaces (repeatable), e.g. \"--steps 20 --train-size 300\".")
    List<String> fixed = new ArrayList<>();

    @Option(names = "--metric", paramLabel = "COLUMN", description = "Numeric column of the command's results.csv "
            + "to summarize and plot (default: the first of " + "testLoss, testAccuracy, accuracy, accuracyDrop present).")
    String metric;

    @Option(names = "--dry-run", description = "List the configurations and which are finished, run nothing.")
    boolean dryRun;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    OutputOption output;

    /** What runs a configuration: the app's command line (tests substitute runners that fail on purpose). */
    ConfigurationRunner runner = new AppCommandRunner();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        sparkOptions.validate();
        Grid grid = Grid.parse(command, axes, splitFixed());
        List<Configuration> configurations = grid.configurations();
        configurations.forEach(SweepCommand::requireParses);
        Path folder = output.folder();
        RunStore store = new RunStore(folder);
        long finished = configurations.stream().filter(c -> store.finished(c.id()).isPresent()).count();
        out.printf(Locale.ROOT, "Sweep of %s: %d configurations (%s), %d finished already; master %s; runs in %s%n",
                command, configurations.size(), grid.keys().isEmpty() ? "no grid" : String.join(" x ", grid.keys()),
                finished, sparkOptions.master(), store.folder("").getParent());
        if (dryRun) {
            configurations.forEach(c -> out.printf("%s %s: hyperkron %s%n", store.finished(c.id()).isPresent()
                    ? "finished" : "to run  ", c.id(), String.join(" ", c.commandLine(store.folder(c.id()).toString()))));
            return 0;
        }
        ConfigurationRunner run = runner;
        long start = System.nanoTime();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try (SparkOptions.Session session = sparkOptions.open("hyperkron sweep " + command)) {
            JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
            List<Outcome> done = runAll(spark, configurations, store, run);
            double wall = (System.nanoTime() - start) * 1e-9;
            done.forEach(o -> outcomes.put(o.id(), o));
            out.print(outcomeTable(configurations, outcomes));
            long ran = done.stream().filter(o -> !o.skipped()).count();
            out.printf(Locale.ROOT, "ran %d configurations in %.1f s wall-clock (%s, Spark start included), skipped %d finished%n", ran, wall,
                    sparkOptions.master(), done.size() - ran);
            SweepResults results = SweepResults.gather(session.spark(), store, grid.keys(), configurations, outcomes);
            for (Path p : results.write(folder)) {
                out.println("wrote " + p);
            }
            Optional<String> m = results.metric(metric);
            if (m.isPresent()) {
                out.println();
                out.print(results.summarize(m.get(), folder));
                out.println("wrote " + folder.resolve(m.get() + ".svg") + " and .png");
            } else {
                out.println("no default metric (" + String.join(", ", SweepResults.DEFAULT_METRICS)
                        + ") in the results: give --metric to plot one");
            }
            writeSummary(folder, grid, configurations, outcomes, wall);
        }
        return outcomes.values().stream().allMatch(o -> o.exitCode() == 0) ? 0 : 1;
    }

    /** One task per configuration; a configuration that failed in every attempt stops the sweep, saying where its log is. */
    private List<Outcome> runAll(JavaSparkContext spark, List<Configuration> configurations, RunStore store,
                                 ConfigurationRunner run) {
        try {
            return spark.parallelize(configurations, configurations.size()).map(c -> store.runOnce(c, run)).collect();
        } catch (Exception e) {
            if (!(e instanceof SparkException)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("the sweep stopped: a configuration failed in every attempt (" + reason
                    + "). Finished runs are kept in " + store.folder("").getParent() + "/runs and the next sweep "
                    + "skips them; the failed attempts' logs are in " + store.folder("").getParent() + "/attempts");
        }
    }

    private List<String> splitFixed() {
        List<String> args = new ArrayList<>();
        for (String f : fixed) {
            for (String a : f.trim().split("\\s+")) {
                if (!a.isEmpty()) {
                    args.add(a);
                }
            }
        }
        return args;
    }

    /** Parses a configuration's command line as the app would, so that a typo fails before any task runs. */
    private static void requireParses(Configuration c) {
        CommandLine cli = new CommandLine(new HyperkronCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cli.parseArgs(c.commandLine("unused"));
        } catch (CommandLine.ParameterException e) {
            throw new UserError("configuration " + c.id() + " is not a valid " + c.command() + " command line: "
                    + e.getMessage());
        }
    }

    private static Table outcomeTable(List<Configuration> configurations, Map<String, Outcome> outcomes) {
        Table t = new Table("configuration", "exit", "run s", "");
        for (Configuration c : configurations) {
            Outcome o = outcomes.get(c.id());
            t.row(c.id(), o.exitCode(), String.format(Locale.ROOT, "%.1f", o.seconds()), o.skipped() ? "finished before" : "");
        }
        return t;
    }

    private void writeSummary(Path folder, Grid grid, List<Configuration> configurations, Map<String, Outcome> outcomes,
                              double wall) throws java.io.IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", grid.command());
        json.put("grid", grid.keys());
        json.put("master", sparkOptions.master());
        json.put("wallSeconds", wall);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Configuration c : configurations) {
            Outcome o = outcomes.get(c.id());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", c.id());
            r.put("values", c.values());
            r.put("args", c.args());
            r.put("exitCode", o.exitCode());
            r.put("seconds", o.seconds());
            r.put("skipped", o.skipped());
            runs.add(r);
        }
        json.put("runs", runs);
        JsonFiles.write(folder.resolve("sweep.json"), json);
    }
}
