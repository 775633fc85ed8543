package dev.hyperkron.core;

/**
 * Argument checks at API boundaries, one line each at the call site, with messages that name the
 * argument and the value found ("damping must be finite and >= 0, got -1.0").
 */
public final class Require {
    private Require() {
    }

    /** {@code value}, when it is finite and at least 0. */
    public static double finiteNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** {@code value}, when it is at least {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
