package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.figures.FigureScale;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.core.Device;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every figure command takes: the quick or paper-sized scale ({@code --full}), how many
 * seeds, the sizes and schedule (each overriding the scale's value), the methods' knobs, the
 * budget, checkpoints, output folder and threads.
 */
public final class FigureOptions {
    @Option(names = "--full", description = "Paper-sized runs (the whole training set, the paper's validation size, "
            + "the whole test set, 15 minutes per run) instead of the quick default of a few minutes per figure.")
    boolean full;

    @Option(names = "--seeds", paramLabel = "N", description = "Repeat every run with N seeds (--seed, --seed + 1, ...) "
            + "and report the mean ± standard deviation (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int seeds;

    @Option(names = "--train-size", description = "Noisy training examples (default: 5000, 1000 on the digits; --full: 50000, CIFAR-10 45000).")
    Integer trainSize;

    @Option(names = "--val-size", description = "Clean validation examples (default: 1000, 300 on the digits; --full: 5000).")
    Integer validationSize;

    @Option(names = "--test-size", description = "Test examples, 0 for the whole official test set (default: 2000, "
            + "the 497 left over on the digits; --full: 0).")
    Integer testSize;

    @Option(names = "--noise", description = "Fraction of training labels flipped (default: 0.5).")
    Double noise;

    @Option(names = "--inner-steps", description = "Inner steps per outer step, T (default: 10).")
    Integer innerSteps;

    @Option(names = "--inner-lr", description = "Inner learning rate, SGD with momentum 0.9 (default: 0.01).")
    Double innerLr;

    @Option(names = "--outer-lr", description = "Outer learning rate, SGD with momentum 0.9, as the paper's code "
            + "(default: 1).")
    Double outerLr;

    @Option(names = "--weight-decay", description = "Inner L2 coefficient (default: 1e-3).")
    Double weightDecay;

    @Option(names = "--eval-every", description = "Outer steps between test evaluations (default: 10; --full: 50).")
    Integer evaluateEvery;

    @Option(names = "--warmup-steps", description = "Untimed outer steps of each method before its first run, so that "
            + "every method starts JIT-compiled (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmupSteps;

    @Mixin
    CheckpointOptions checkpoints;

    @Mixin
    BudgetOptions budget;

    @Mixin
    MethodOptions methods;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    /** Refuses out-of-range values before any data is loaded. */
    public void validate() {
        Checks.atLeast("--seeds", seeds, 1);
        if (trainSize != null) {
            Checks.atLeast("--train-size", trainSize, 1);
        }
        if (validationSize != null) {
            Checks.atLeast("--val-size", validationSize, 1);
        }
        if (testSize != null) {
            Checks.atLeast("--test-size", testSize, 0);
        }
        if (noise != null) {
            Checks.fraction("--noise", noise);
        }
        if (innerSteps != null) {
            Checks.atLeast("--inner-steps", innerSteps, 1);
        }
        if (innerLr != null) {
            Checks.positive("--inner-lr", innerLr);
        }
        if (outerLr != null) {
            Checks.positive("--outer-lr", outerLr);
        }
        if (weightDecay != null) {
            Checks.nonNegative("--weight-decay", weightDecay);
        }
        if (evaluateEvery != null) {
            Checks.atLeast("--eval-every", evaluateEvery, 1);
        }
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        checkpoints.validate();
        methods.validate();
        threads.validate();
    }

    /** Whether --full was given. */
    public boolean full() {
        return full;
    }

    /** The scale of this run: {@code full} with --full, else {@code quick}, and every size given overriding it. */
    public FigureScale scale(FigureScale quick, FigureScale fullScale) {
        FigureScale base = full ? fullScale : quick;
        return new FigureScale(or(trainSize, base.trainSize()), or(validationSize, base.validationSize()),
                or(testSize, base.testSize()), or(noise, base.noise()), or(innerSteps, base.innerSteps()),
                or(innerLr, base.innerLr()), or(outerLr, base.outerLr()), or(weightDecay, base.weightDecay()),
                or(evaluateEvery, base.evaluateEvery()), base.seconds());
    }

    /** --steps or --seconds, else the scale's seconds per run. */
    public Budget budget(FigureScale scale) {
        return budget.budget(scale.seconds());
    }

    public int seeds() {
        return seeds;
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    public int checkpointEvery() {
        return checkpoints.every();
    }

    public boolean resume() {
        return checkpoints.resume();
    }

    public MethodSpec methodSpec() {
        return methods.spec();
    }

    public RunOptions run() {
        return run;
    }

    /** The device of --device; a bad or unavailable one is a user error. */
    public Device device() {
        return device.resolve();
    }

    /** Sizes the kernels' worker pool when --threads was given. */
    public void applyThreads() {
        threads.apply();
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
