package dev.hyperkron.bench.cli;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.StepListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where the run in progress stands, said when it matters: when a run resumes from a checkpoint
 * (or finds it already finished), and when the JVM is stopped by Ctrl-C or SIGTERM (a shutdown
 * hook says at which step, where the last checkpoint is, and how to continue).
 */
final class RunStatus implements StepListener, AutoCloseable {
    private final Consumer<String> notes;
    private final PrintStream console;
    private final Budget budget;
    private final Thread hook = new Thread(this::interrupted, "hyperkron-interrupt");
    private volatile String method = "";
    private volatile int step;
    private volatile int checkpoint = -1;
    private volatile boolean running;

    /**
     * @param notes   prints a note (below the progress bar)
     * @param console the process's error stream, where the shutdown hook writes (the command's
     *                writer may no longer be flushed by then)
     */
    RunStatus(Consumer<String> notes, PrintStream console, Budget budget) {
        this.notes = notes;
        this.console = console;
        this.budget = budget;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The next run, of the method called {@code name}. */
    void start(String name) {
        method = name;
        step = 0;
        checkpoint = -1;
        running = true;
    }

    /** The current run ended (completed or diverged): an interruption now is not in a run. */
    void finish() {
        running = false;
    }

    @Override
    public void afterStep(HistoryEntry entry, Params theta, Params lambda) {
        step = entry.step();
    }

    @Override
    public void resumed(int at, double seconds) {
        step = at;
        checkpoint = at;
        boolean finished = budget.steps() > 0 ? at >= budget.steps() : seconds >= budget.seconds();
        String of = budget.steps() > 0 ? at + " of " + budget.steps()
                : String.format(Locale.ROOT, "%d (%.1f s of %s)", at, seconds, budget);
        notes.accept("hyperkron: " + method + ": " + (finished ? "already finished: the checkpoint is at step " + of
                + "; its results are shown again (a larger --steps or --seconds continues it)" : "resumed from step " + of));
    }

    @Override
    public void checkpointed(int at) {
        checkpoint = at;
    }

    private void interrupted() {
        if (!running) {
            return;
        }
        String last = checkpoint >= 0 ? "last checkpoint at step " + checkpoint + "; continue with --resume"
                : "no checkpoint yet (--checkpoint-every N writes one every N steps)";
        console.println();
        console.println("hyperkron: " + method + ": interrupted at outer step " + (step + 1) + "; " + last);
        console.flush();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs and decides for itself
        }
    }
}
