package dev.hyperkron.bench.paper;

import java.util.List;

/**
 * One experiment of the paper run: a command of this app with its arguments (the runner adds
 * {@code --out}), what it reproduces, and how long it is expected to take (the progress bar's
 * weight, not a limit).
 *
 * @param id               folder name under the paper's output folder, e.g. "figure2"
 * @param title            what it reproduces, e.g. "Figure 2: data hypercleaning, MLP"
 * @param args             the command and its arguments, e.g. ["figure2", "--seconds", "12"]
 * @param estimatedSeconds expected wall-clock seconds on 2 cores
 * @param resumable        whether the command continues an interrupted run with {@code --resume}
 */
public record Stage(String id, String title, List<String> args, double estimatedSeconds, boolean resumable) {

    public Stage {
        args = List.copyOf(args);
    }

    /** The command line as a user would type it, with the output folder. */
    public String commandLine(String out) {
        return "./hyperkron " + String.join(" ", args) + " --out " + out;
    }
}
