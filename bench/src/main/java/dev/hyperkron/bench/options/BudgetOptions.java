package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bilevel.train.Budget;
import picocli.CommandLine.Option;

/** {@code --steps} or {@code --seconds}: how long each run of a comparison lasts. */
public final class BudgetOptions {
    @Option(names = "--steps", description = "Budget in outer steps per run (exclusive with --seconds).")
    Integer steps;

    @Option(names = "--seconds", description = "Budget in wall-clock seconds per run (default when --steps is not "
            + "given: 10 for hyperclean, 35 for text-clean, 30 for figure2 and figure5, 20 for figure3; with --full 900, 300 on the digits).")
    Double seconds;

    /** The budget given, or {@code defaultSeconds} per run when neither option was. */
    public Budget budget(double defaultSeconds) {
        if (steps != null && seconds != null) {
            throw new UserError("give either --steps or --seconds, not both");
        }
        if (steps != null) {
            if (steps < 1) {
                throw new UserError("--steps must be at least 1, got " + steps);
            }
            return Budget.steps(steps);
        }
        double s = seconds == null ? defaultSeconds : seconds;
        Checks.positive("--seconds", s);
        return Budget.seconds(s);
    }
}
