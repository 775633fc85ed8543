package dev.hyperkron.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bench.HyperkronCli;
import dev.hyperkron.bench.cli.CliErrors;
import dev.hyperkron.spark.LocalSpark;
import dev.hyperkron.spark.SparkCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sweep on the embedded Spark (local[2]): tiny hypercleaning runs on the digits, 4 configurations. */
class SweepCommandTest {
    private static final String[] GRID = {"--command", "hyperclean", "--grid", "method=aid-kfac,one-step",
            "--grid", "seed=0,1", "--fixed", "--model linear --steps 2 --warmup-steps 0 --eval-every 1",
            "--fixed", "--train-size 80 --val-size 40 --test-size 40 --threads 1", "--master", LocalSpark.MASTER};

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void everyConfigurationRunsAsTheCommandAloneWouldAndAReRunSkipsThemAll() throws Exception {
        Result r = sweep(new AppCommandRunner(), "--out", dir.toString());
        assertEquals(0, r.exitCode, r.text);
        List<Row> rows = spark.read().parquet(dir.resolve("results.parquet").toString()).collectAsList();
        assertEquals(4, rows.size());
        assertTrue(Files.isRegularFile(dir.resolve("results.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("testLoss.svg")));
        assertTrue(r.text.contains("ran 4 configurations"), r.text);
        // the run of seed 1 with one-step, against the command alone
        Path alone = dir.resolve("alone");
        int code = HyperkronCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "hyperclean", "--method", "one-step", "--seed", "1", "--model", "linear", "--steps", "2",
                "--warmup-steps", "0", "--eval-every", "1", "--train-size", "80", "--val-size", "40", "--test-size",
                "40", "--threads", "1", "--out", alone.toString());
        assertEquals(0, code);
        Row swept = spark.read().parquet(dir.resolve("results.parquet").toString())
                .where("grid_method = 'one-step' and grid_seed = '1'").collectAsList().get(0);
        List<String> aloneCsv = Files.readAllLines(alone.resolve("results.csv"));
        int column = List.of(aloneCsv.get(0).split(",")).indexOf("testLoss");
        assertEquals(Double.parseDouble(aloneCsv.get(1).split(",")[column]), swept.<Double>getAs("testLoss"), 0.0);

        Result again = sweep((c, out, log) -> {
            throw new AssertionError("a finished configuration ran again: " + c.id());
        }, "--out", dir.toString());
        assertEquals(0, again.exitCode, again.text);
        assertTrue(again.text.contains("4 finished already") && again.text.contains("ran 0 configurations"), again.text);
    }

    @Test
    void aFailedTaskIsRetriedByTheEngine() {
        Result r = sweep(new FailsFirstAttempt(), "--out", dir.toString());
        assertEquals(0, r.exitCode, r.text);
        assertTrue(r.text.contains("ran 4 configurations"), r.text);
        assertEquals(4, spark.read().parquet(dir.resolve("results.parquet").toString()).count());
    }

    @Test
    void aFailingConfigurationKeepsTheOthersFinishedRunsForTheNextSweep() throws Exception {
        Result failed = sweep(new AlwaysFailsFor("method-one-step_seed-1"), "--out", dir.toString(),
                "--task-attempts", "2");
        assertEquals(1, failed.exitCode, failed.text);
        assertTrue(failed.text.contains("the sweep stopped") && failed.text.contains("fails on purpose"), failed.text);
        RunStore store = new RunStore(dir);
        List<String> finished = new ArrayList<>();
        for (Configuration c : Grid.parse("hyperclean", List.of("method=aid-kfac,one-step", "seed=0,1"),
                List.of("--model", "linear", "--steps", "2", "--warmup-steps", "0", "--eval-every", "1", "--train-size",
                        "80", "--val-size", "40", "--test-size", "40", "--threads", "1")).configurations()) {
            store.finished(c.id()).ifPresent(o -> finished.add(c.id()));
        }
        assertTrue(finished.size() >= 1 && finished.size() <= 3 && finished.stream().noneMatch(id -> id.startsWith(
                "method-one-step_seed-1")), finished.toString());
        // a task still running when the job failed may finish and publish later: never lost, never redone
        Result resumed = sweep(new AppCommandRunner(), "--out", dir.toString());
        assertEquals(0, resumed.exitCode, resumed.text);
        for (String line : resumed.text.split("\n")) {
            if (line.startsWith("method-one-step_seed-1")) {
                assertFalse(line.contains("finished before"), line);
            } else if (finished.stream().anyMatch(line::startsWith)) {
                assertTrue(line.contains("finished before"), line);
            }
        }
    }

    @Test
    void badArgumentsExitWithCode2AndHelpWithCode0() {
        StringWriter err = new StringWriter();
        PrintWriter w = new PrintWriter(err);
        assertEquals(2, SparkCli.execute(w, w, "sweep", "--command", "hyperclean", "--grid", "seed", "--out",
                dir.toString()));
        assertEquals(2, SparkCli.execute(w, w, "sweep", "--command", "demo", "--out", dir.toString()));
        assertEquals(2, SparkCli.execute(w, w, "sweep", "--command", "hyperclean", "--fixed", "--no-such-option 1",
                "--out", dir.toString()));
        assertEquals(2, SparkCli.execute(w, w, "sweep", "--command", "hyperclean", "--master", "local[two]"));
        assertEquals(2, SparkCli.execute(w, w, "sweep"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
        assertEquals(0, SparkCli.execute(w, w, "sweep", "--help"));
    }

    private record Result(int exitCode, String text) {
    }

    private static Result sweep(ConfigurationRunner runner, String... more) {
        SweepCommand command = new SweepCommand();
        command.runner = runner;
        CommandLine cli = new CommandLine(command);
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        cli.setOut(w);
        cli.setErr(w);
        cli.setParameterExceptionHandler(CliErrors::badArguments);
        cli.setExecutionExceptionHandler(CliErrors::failed);
        List<String> args = new ArrayList<>(List.of(GRID));
        args.addAll(List.of(more));
        int code = cli.execute(args.toArray(String[]::new));
        return new Result(code, text.toString());
    }

    /** Throws in every task's first attempt, runs the command in the retry. */
    private static final class FailsFirstAttempt implements ConfigurationRunner {
        private static final long serialVersionUID = 1L;

        @Override
        public int run(Configuration c, Path out, PrintWriter log) {
            if (TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("first attempt of " + c.id() + " fails on purpose");
            }
            return new AppCommandRunner().run(c, out, log);
        }
    }

    /** Fails one configuration in every attempt. */
    private record AlwaysFailsFor(String prefix) implements ConfigurationRunner {
        @Override
        public int run(Configuration c, Path out, PrintWriter log) {
            if (c.id().startsWith(prefix)) {
                throw new IllegalStateException(c.id() + " fails on purpose");
            }
            return new AppCommandRunner().run(c, out, log);
        }
    }
}
