package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.BudgetOptions;
import dev.hyperkron.bench.options.InnerOptions;
import dev.hyperkron.bench.options.MethodOptions;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bench.experiments.ComparisonReport;
import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.TrainingResult;
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

    @Option(names = "--test-size", description = "Test examples, 0 for all remaining (default: ${DEFAULT-VALUE}).",
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

    @Option(names = "--checkpoint-every", description = "Checkpoint every N outer steps into OUT/checkpoints/METHOD "
            + "(default: ${DEFAULT-VALUE}, only at the end).", defaultValue = "0")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue each method from its checkpoint in OUT/checkpoints if there is one.")
    boolean resume;



    @Override
    public Integer call() throws Exception {
        Budget budget = budgetOptions.budget(10);
        threads.apply();
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
        HypercleaningExperiment experiment = new HypercleaningExperiment(new HypercleaningSetup(data, model, hidden, noise,
                trainSize, validationSize, testSize, batchSize, inner.steps(), inner.learningRate(), outerLr,
                inner.weightDecay(), run.seed(),
                innerOptimizer, outerOptimizer));
        String modelName = ModelSpec.describe(model, hidden);
        run.out().printf("Data hypercleaning on %s with %s: %d training examples (%d labels flipped), %d validation; "
                + "budget %s per method.%n", data, modelName, trainSize, experiment.corruptedCount(), validationSize, budget);
        List<RunRecord> records = new ArrayList<>();
        try (Progress progress = budget.steps() > 0 ? Progress.steps("hyperclean", resolved.size(), budget.steps())
                : Progress.seconds("hyperclean", resolved.size(), budget.seconds())) {
            for (HypergradientMethod method : resolved) {
                progress.startRun(method.name());
                experiment.warmUp(method, warmupSteps);
                Path checkpoints = out.resolve("checkpoints").resolve(method.name().replaceAll("[^A-Za-z0-9]+", "_"));
                TrainingResult result = experiment.run(method, budget, evalEvery, checkpoints, checkpointEvery, resume,
                        progress.listener());
                progress.finishRun();
                records.add(new RunRecord(modelName, method.name(), result));
                result.warnings().forEach(w -> run.err().println("hyperkron: warning: " + w));
                if (result.status() == TrainingResult.Status.DIVERGED) {
                    run.err().println("hyperkron: " + result.message());
                }
            }
        }
        new ComparisonReport(records).printAndWrite(run.out(), out);
        boolean diverged = records.stream().anyMatch(r -> r.result().status() == TrainingResult.Status.DIVERGED);
        return diverged ? 1 : 0;
    }
}
