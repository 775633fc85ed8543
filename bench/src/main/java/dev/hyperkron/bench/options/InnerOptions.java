package dev.hyperkron.bench.options;

import picocli.CommandLine.Option;

/** The inner problem's training: T steps per outer step, the inner learning rate and the L2 term. */
public final class InnerOptions {
    @Option(names = "--inner-steps", description = "Inner steps per outer step, T (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int steps;

    @Option(names = "--inner-lr", description = "Inner learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double learningRate;

    @Option(names = "--weight-decay", description = "Inner L2 coefficient (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    double weightDecay;

    /** Refuses a step count below 1, a learning rate that is not positive and a negative L2 term. */
    public void validate() {
        Checks.atLeast("--inner-steps", steps, 1);
        Checks.positive("--inner-lr", learningRate);
        Checks.nonNegative("--weight-decay", weightDecay);
    }

    public int steps() {
        return steps;
    }

    public double learningRate() {
        return learningRate;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
