package dev.hyperkron.nn.optim;

/** Range checks for optimizer hyperparameters, with messages that name the optimizer, the setting and the value. */
final class Hyperparameters {
    private Hyperparameters() {
    }

    /** value is finite and >= 0. */
    static double nonNegative(String owner, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** 0 <= value <= 1. */
    static double fraction(String owner, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1], got " + value);
        }
        return value;
    }

    /** 0 <= value < 1. */
    static double decayRate(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
