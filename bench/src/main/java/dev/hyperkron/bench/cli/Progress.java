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
 *
 * <p>While a {@link Scope} is open (a command that runs other commands, such as {@code paper}),
 * a new progress draws no bar of its own: it moves the scope's one bar through the current
 * stage's share instead, so a long sequence of commands shows one bar from start to end.
 */
public final class Progress implements AutoCloseable {
    static final int DEFAULT_WIDTH = 100;
    private static volatile Scope active;

    private final ProgressBar bar;
    private final Scope scope;
    private long completedRuns;
    private final long perRun;
    private final long max;
    private final boolean bySeconds;

    private Progress(String task, int runs, long perRun, boolean bySeconds) {
        this.perRun = perRun;
        this.max = Math.max(1, runs * perRun);
        this.bySeconds = bySeconds;
        this.scope = active;
        this.bar = scope != null ? null : bar(task, runs * perRun, bySeconds ? " s" : " steps", bySeconds ? 10 : 1);
    }

    private static ProgressBar bar(String task, long max, String unit, long unitSize) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(System.console() != null ? 250 : 10_000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, width()))
                .setUnit(unit, unitSize).showSpeed().build();
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
        if (bar != null) {
            bar.setExtraMessage(" " + label);
        } else {
            scope.label(label);
        }
    }

    /** A listener that advances the bar with the run's steps or elapsed time. */
    public StepListener listener() {
        return (entry, theta, lambda) -> advance(entry.step(), entry.seconds());
    }

    /** Moves the bar to where the current run is after {@code step} steps and {@code seconds} of its budget. */
    public void advance(int step, double seconds) {
        long within = bySeconds ? Math.round(seconds * 10) : step;
        stepTo(completedRuns * perRun + Math.min(perRun, within));
    }

    private void stepTo(long position) {
        if (bar != null) {
            bar.stepTo(position);
        } else {
            scope.within((double) position / max);
        }
    }

    /**
     * Marks the current run as ended: a completed run fills its share of the bar, a run that
     * stopped early (diverged) leaves the bar where it stopped, so that 100% means all done.
     */
    public void finishRun(boolean completed) {
        completedRuns++;
        if (completed) {
            stepTo(completedRuns * perRun);
        }
    }

    /**
     * Prints a line on {@code err} below the bar (the bar's line, redrawn with a carriage return,
     * is ended first, so the message does not run into it); the bar continues underneath.
     */
    public void note(PrintWriter err, String line) {
        belowBar(err, line);
    }

    private static void belowBar(PrintWriter out, String line) {
        System.err.println();
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * Opens one bar over stages of known relative weight (estimated seconds); until it is
     * closed, every new {@link Progress} reports into the current stage's share of it.
     */
    public static Scope scope(String task, double totalWeight) {
        Scope scope = new Scope(bar(task, Math.max(1, Math.round(totalWeight)), " s (est.)", 1));
        active = scope;
        return scope;
    }

    /** One bar over a sequence of weighted stages; see {@link #scope}. */
    public static final class Scope implements AutoCloseable {
        private final ProgressBar bar;
        private double base;
        private double weight;
        private String stage = "";

        private Scope(ProgressBar bar) {
            this.bar = bar;
        }

        /** Starts a stage worth {@code stageWeight} of the total, at the position all earlier stages took. */
        public synchronized void stage(String name, double stageWeight) {
            this.stage = name;
            this.weight = stageWeight;
            bar.setExtraMessage(" " + name);
            bar.stepTo(Math.round(base));
        }

        /** Ends the current stage: the bar moves to the end of its share. */
        public synchronized void finishStage() {
            base += weight;
            weight = 0;
            bar.stepTo(Math.round(base));
        }

        /** Prints a line on {@code out} below the bar (ending the bar's line first). */
        public synchronized void note(PrintWriter out, String line) {
            belowBar(out, line);
        }

        synchronized void label(String label) {
            bar.setExtraMessage(" " + stage + ": " + label);
        }

        synchronized void within(double fraction) {
            long position = Math.round(base + Math.max(0, Math.min(1, fraction)) * weight);
            if (position > bar.getCurrent()) {
                bar.stepTo(position);
            }
        }

        @Override
        public void close() {
            active = null;
            bar.close();
        }
    }
}
