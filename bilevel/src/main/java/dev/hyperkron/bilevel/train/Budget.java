package dev.hyperkron.bilevel.train;

/**
 * When a run stops: after a number of outer steps, or once its accumulated wall-clock time
 * reaches a limit (the paper compares methods under equal time budgets). Only step budgets
 * make a resumed run repeat an uninterrupted one exactly.
 */
public record Budget(int steps, double seconds) {

    public Budget {
        if (steps < 0 || !(seconds >= 0) || seconds == Double.POSITIVE_INFINITY || (steps == 0 && seconds == 0)) {
            throw new IllegalArgumentException("a budget needs a positive step count or a positive finite time (a run "
                    + "must end), got steps=" + steps + ", seconds=" + seconds);
        }
    }

    public static Budget steps(int steps) {
        return new Budget(steps, 0);
    }

    public static Budget seconds(double seconds) {
        return new Budget(0, seconds);
    }

    /** Whether a run that has done {@code done} steps in {@code elapsed} seconds should stop. */
    public boolean exhausted(int done, double elapsed) {
        return steps > 0 ? done >= steps : elapsed >= seconds;
    }

    @Override
    public String toString() {
        return steps > 0 ? steps + " steps" : seconds + " s";
    }
}
