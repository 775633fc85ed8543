package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
import java.math.BigDecimal;

/**
 * Range checks of option values, run before a command does any work, so that a bad value ends
 * the command at once with exit code 2 and a message naming the option and the value, instead
 * of failing (or being silently replaced) at the first step.
 */
public final class Checks {
    /** More workers than this is a typo, not a machine. */
    public static final int MAX_THREADS = 4096;

    private Checks() {
    }

    /** {@code value >= min}. */
    public static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UserError(option + " must be at least " + min + ", got " + value);
        }
    }

    /** A finite number above zero. */
    public static void positive(String option, double value) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new UserError(option + " must be a finite number > 0, got " + format(value));
        }
    }

    /** A finite number at or above zero. */
    public static void nonNegative(String option, double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new UserError(option + " must be a finite number >= 0, got " + format(value));
        }
    }

    /** A fraction in [0, 1). */
    public static void fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new UserError(option + " must be in [0, 1), got " + format(value));
        }
    }

    /** The value as a user would type it (-0.0005, not -5.0E-4). */
    private static String format(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : String.valueOf(value);
    }

    /** A worker-thread count between 1 and {@value #MAX_THREADS}. */
    public static void threads(String option, int value) {
        if (value < 1 || value > MAX_THREADS) {
            throw new UserError(option + " must be between 1 and " + MAX_THREADS + ", got " + value);
        }
    }
}
