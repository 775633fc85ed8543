package dev.hyperkron.bench.cli;

import dev.hyperkron.bilevel.train.StepListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error over a sequence of runs, measured in outer steps or in
 * tenths of a second of each run's budget; the task name shows the run in progress. Without a
 * terminal (logs, CI) it redraws only every ten seconds. Its width is given (COLUMNS, else
 * {@value #DEFAULT_WIDTH}) so that the library never asks JLine for the terminal's width, which
 * extracts and loads JLine's native library.
 */
public final class Progress implements AutoCloseable {
    static final int DEFAULT_WIDTH = 100;

    private final ProgressBar bar;
    private long completedRuns;
    private final long perRun;
    private final boolean bySeconds;

    private Progress(String task, int runs, long perRun, boolean bySeconds) {
        this.perRun = perRun;
        this.bySeconds = bySeconds;
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(runs * perRun).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(System.console() != null ? 250 : 10_000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, width()))
                .setUnit(bySeconds ? " s" : " steps", bySeconds ? 10 : 1).showSpeed().build();
    }

    /** The terminal's width as the shell exports it (COLUMNS), else {@value #DEFAULT_WIDTH}. */
    private static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return Integer.parseInt(columns);
        }
        return DEFAULT_WIDTH;
    }

    /** Progress over runs that each have a time budget. */
    public static Progress seconds(String task, int runs, double secondsPerRun) {
        return new Progress(task, runs, Math.round(secondsPerRun * 10), true);
    }

    /** Progress over runs that each have a step budget. */
    public static Progress steps(String task, int runs, int stepsPerRun) {
        return new Progress(task, runs, stepsPerRun, false);
    }

    /** Starts the next run under the given label. */
    public void startRun(String label) {
        bar.setExtraMessage(" " + label);
    }

    /** A listener that advances the bar with the run's steps or elapsed time. */
    public StepListener listener() {
        return (entry, theta, lambda) -> advance(entry.step(), entry.seconds());
    }

    /** Moves the bar to where the current run is after {@code step} steps and {@code seconds} of its budget. */
    public void advance(int step, double seconds) {
        long within = bySeconds ? Math.round(seconds * 10) : step;
        bar.stepTo(completedRuns * perRun + Math.min(perRun, within));
    }

    /**
     * Marks the current run as ended: a completed run fills its share of the bar, a run that
     * stopped early (diverged) leaves the bar where it stopped, so that 100% means all done.
     */
    public void finishRun(boolean completed) {
        completedRuns++;
        if (completed) {
            bar.stepTo(completedRuns * perRun);
        }
    }

    /**
     * Prints a line on {@code err} below the bar (the bar's line, redrawn with a carriage return,
     * is ended first, so the message does not run into it); the bar continues underneath.
     */
    public void note(PrintWriter err, String line) {
        System.err.println();
        err.println(line);
        err.flush();
    }

    @Override
    public void close() {
        bar.close();
    }
}
