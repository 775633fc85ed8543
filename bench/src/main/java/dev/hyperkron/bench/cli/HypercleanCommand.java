package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.BudgetOptions;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.InnerOptions;
import dev.hyperkron.bench.options.MethodOptions;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bench.experiments.ComparisonReport;
import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.core.Device;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.ResumeMismatchException;
import dev.hyperkron.bilevel.train.StepListener;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ExactSolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Data hypercleaning with every knob exposed: data set, model, methods, sizes, optimizers, budget, checkpoints. */
@Command(name = "hyperclean", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Data hypercleaning: learn per-example weights of a noisy training set so that training on the "
                + "weighted loss does well on a clean validation set. Runs one or more methods on the same data and "
                + "writes a results table, CSV/JSON files and plots."})
public final class HypercleanCommand implements Callable<Integer> {

    @Option(names = "--data", description = "digits (embedded), fashion (/usr/share/datasets/fashion-mnist), idx:DIR "
            + "or cifar:DIR (default: ${DEFAULT-VALUE}).", defaultValue = "digits")
    String data;

    @Option(names = "--model", description = "linear, mlp or cnn (default: ${DEFAULT-VALUE}).", defaultValue = "mlp")
    String model;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the mlp (default: ${DEFAULT-VALUE}).",
            defaultValue = "64")
    int[] hidden;

    @Option(names = "--method", split = ",", description = "Comma-separated methods: " + MethodSpec.NAMES
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "aid-kfac")
    List<String> methods;

    @Option(names = "--noise", description = "Fraction of training labels flipped (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.45")
    double noise;

    @Option(names = "--train-size", description = "Noisy training examples (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int trainSize;

    @Option(names = "--val-size", description = "Clean validation examples (default: ${DEFAULT-VALUE}).", defaultValue = "300")
    int validationSize;

    @Option(names = "--test-size", description = "Test examples, 0 for all: the official test set of fashion, idx: and "
            + "cifar: data, the examples left over from training and validation for digits (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int testSize;

    @Option(names = "--batch-size", description = "Training/validation batch size, 0 for full batch (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int batchSize;

    @Mixin
    InnerOptions inner;

    @Option(names = "--inner-optimizer", description = "Inner optimizer: sgd (momentum 0.9) or adam "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "sgd")
    OptimizerKind innerOptimizer;

    @Option(names = "--outer-optimizer", description = "Optimizer of the weights: sgd (momentum 0.9) or adam "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "sgd")
    OptimizerKind outerOptimizer;

    @Option(names = "--outer-lr", description = "Outer learning rate; 0 means the number of training examples for sgd "
            + "(each weight's hypergradient is of order 1/N) and 0.05 for adam (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    double outerLr;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--eval-every", description = "Evaluate test metrics every N outer steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int evalEvery;

    @Option(names = "--warmup-steps", description = "Untimed outer steps of each method before its run, so that "
            + "every method starts JIT-compiled (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmupSteps;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    @Option(names = "--checkpoint-every", description = "Checkpoint every N outer steps into OUT/checkpoints/METHOD "
            + "(default: ${DEFAULT-VALUE}, only at the end).", defaultValue = "0")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue each method from its checkpoint in OUT/checkpoints if there is one.")
    boolean resume;



    /** KFAC damping below which a warning is printed (the default is 1e-3 plus the weight decay). */
    static final double KFAC_DAMPING_WARNING = 1e-6;

    /** The options a resumed run may change: they do not alter what a step computes. */
    static final String MAY_CHANGE = "--steps, --seconds, --eval-every, --checkpoint-every, --warmup-steps and --threads";

    @Override
    public Integer call() throws Exception {
        Budget budget = budgetOptions.budget(10);
        validate();
        threads.apply();
        Device where = device.resolve();
        if (where != Device.host() && methods.stream().anyMatch(m -> m.trim().equals("aid-exact"))) {
            throw new UserError("aid-exact builds the inner Hessian densely on the host; run it with --device cpu");
        }
        MethodSpec methodSpec = methodOptions.spec();
        boolean truncated = methods.stream().anyMatch(m -> m.trim().equals("itd-truncated"));
        if (truncated && methodSpec.truncation() > inner.steps()) {
            throw new UserError("--truncation (" + methodSpec.truncation() + ") must be at most --inner-steps ("
                    + inner.steps() + "): itd-truncated back-propagates through the last steps of the inner phase");
        }
        Path out = run.folder();
        List<HypergradientMethod> resolved = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String m : methods) {
            String name = m.trim();
            HypergradientMethod method = methodSpec.build(name);
            if (!names.add(method.name())) {
                throw new UserError("--method names " + method.name() + " twice; each method runs once");
            }
            resolved.add(method);
        }
        warnIfKfacIsBarelyDamped(methodSpec);
        HypercleaningExperiment experiment = new HypercleaningExperiment(new HypercleaningSetup(data, model, hidden, noise,
                trainSize, validationSize, testSize, batchSize, inner.steps(), inner.learningRate(), outerLr,
                inner.weightDecay(), run.seed(),
                innerOptimizer, outerOptimizer)).on(where);
        if (methods.stream().anyMatch(m -> m.trim().equals("aid-exact"))) {
            requireExactSolveFits(experiment);
        }
        String modelName = ModelSpec.describe(model, hidden);
        run.out().printf("Data hypercleaning on %s with %s%s: %d training examples (%d labels flipped), %d validation, "
                + "%d test; budget %s per method.%n", data, modelName, where == Device.host() ? "" : " on " + where.name(),
                trainSize, experiment.corruptedCount(), validationSize, experiment.testCount(), budget);
        List<RunRecord> records = new ArrayList<>();
        try (Progress progress = budget.steps() > 0 ? Progress.steps("hyperclean", resolved.size(), budget.steps())
                : Progress.seconds("hyperclean", resolved.size(), budget.seconds());
             RunStatus status = new RunStatus(line -> progress.note(run.err(), line), System.err, budget)) {
            for (HypergradientMethod method : resolved) {
                progress.startRun(method.name());
                experiment.warmUp(method, warmupSteps);
                Path checkpoints = out.resolve("checkpoints").resolve(method.name().replaceAll("[^A-Za-z0-9]+", "_"));
                status.start(method.name());
                long started = System.nanoTime();
                TrainingResult result = runOne(experiment, method, methodSpec, budget, checkpoints,
                        progress.listener(), status);
                status.finish();
                progress.finishRun(result.status() == TrainingResult.Status.COMPLETED);
                records.add(new RunRecord(modelName, method.name(), result, (System.nanoTime() - started) * 1e-9));
                result.warnings().forEach(w -> progress.note(run.err(), "hyperkron: warning: " + w));
                if (result.status() == TrainingResult.Status.DIVERGED) {
                    progress.note(run.err(), "hyperkron: " + result.message());
                }
            }
        }
        new ComparisonReport(records).printAndWrite(run.out(), out);
        boolean diverged = records.stream().anyMatch(r -> r.result().status() == TrainingResult.Status.DIVERGED);
        return diverged ? 1 : 0;
    }

    /** One method's run; a resume from a checkpoint written with other options is refused, naming them. */
    private TrainingResult runOne(HypercleaningExperiment experiment, HypergradientMethod method, MethodSpec methodSpec,
                                  Budget budget, Path checkpoints, StepListener progress, RunStatus status) {
        try {
            return experiment.run(method, budget, evalEvery, checkpoints, checkpointEvery, resume, methodSpec.settings(),
                    List.of(progress, status));
        } catch (ResumeMismatchException e) {
            // the trainer's own entries (trainer.seed, ...) repeat options listed under their names
            List<String> options = e.differences().stream().filter(d -> d.startsWith("--")).toList();
            throw new UserError("cannot resume " + method.name() + " from " + checkpoints + ": it was written with "
                    + String.join(", ", options.isEmpty() ? e.differences() : options) + "; only " + MAY_CHANGE
                    + " may change on resume (or use another --out)");
        }
    }

    /**
     * KFAC's and EKFAC's damped inverses scale directions their factors do not see (a batch spans
     * few of them) by up to 1/delta, delta = --damping + --weight-decay: a tiny delta gives
     * hypergradients of norm ~1/delta without any error, so it is said before the run.
     */
    private void warnIfKfacIsBarelyDamped(MethodSpec methodSpec) {
        double delta = methodSpec.damping() + inner.weightDecay();
        boolean kfac = methods.stream().map(String::trim).anyMatch(m -> m.equals("aid-kfac") || m.equals("aid-ekfac"));
        if (kfac && delta < KFAC_DAMPING_WARNING) {
            run.err().println(String.format(java.util.Locale.ROOT, "hyperkron: warning: KFAC's damping is %.3g "
                    + "(--damping + --weight-decay): directions its curvature factors do not see are scaled up to %s, "
                    + "so hypergradients may be huge; the default is 1e-3 + 1e-3", delta,
                    delta > 0 ? String.format(java.util.Locale.ROOT, "%.1g times", 1 / delta) : "without bound"));
        }
    }

    /** aid-exact materializes the n x n inner Hessian: refuse a model too large for it before any run. */
    private static void requireExactSolveFits(HypercleaningExperiment experiment) {
        try {
            ExactSolver.requireHeapFor(experiment.problem().initialInner(new Rng(0)).numel());
        } catch (IllegalArgumentException e) {
            throw new UserError("--method aid-exact: " + e.getMessage());
        }
    }

    /** Every option's range, before any data is loaded or any step is run. */
    private void validate() {
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
        Checks.fraction("--noise", noise);
        Checks.atLeast("--train-size", trainSize, 1);
        Checks.atLeast("--val-size", validationSize, 1);
        Checks.atLeast("--test-size", testSize, 0);
        Checks.atLeast("--batch-size", batchSize, 0);
        inner.validate();
        Checks.nonNegative("--outer-lr", outerLr);
        methodOptions.validate();
        Checks.atLeast("--eval-every", evalEvery, 0);
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        Checks.atLeast("--checkpoint-every", checkpointEvery, 0);
        threads.validate();
    }
}
