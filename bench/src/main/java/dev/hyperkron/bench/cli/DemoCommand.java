package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.experiments.AlgorithmSettings;
import dev.hyperkron.bench.experiments.ComparisonReport;
import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.kfac.FisherType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: data hypercleaning on the embedded digits with heavy label noise, comparing
 * AID-KFAC, AID-CG, AID-Neumann and one-step unrolling (and the baseline, uniform weights) under the same
 * wall-clock budget, for a linear model and an MLP.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Data hypercleaning on the embedded UCI digits with label noise: AID-KFAC vs AID-CG vs "
                + "AID-Neumann vs one-step unrolling under equal wall-clock budgets, for a linear model and an MLP.",
                "Prints a results table and writes CSV/JSON results and SVG/PNG plots of test loss vs time."})
public final class DemoCommand implements Callable<Integer> {
    static final String[] METHODS = {"baseline", "aid-kfac", "aid-cg", "aid-neumann", "one-step"};

    @Option(names = "--seconds", description = "Wall-clock budget per run (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    double seconds;

    @Option(names = "--noise", description = "Fraction of training labels flipped to another class (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.45")
    double noise;

    @Option(names = "--warmup-steps", description = "Untimed outer steps of each method before its run, so that "
            + "every method starts JIT-compiled (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmupSteps;

    @Mixin
    RunOptions run;



    @Override
    public Integer call() throws Exception {
        Checks.positive("--seconds", seconds);
        Checks.fraction("--noise", noise);
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        Path out = run.folder();
        MethodSpec methodSpec = new MethodSpec(1e-3, 10, 0.1, FisherType.TYPE2, 1, 5, AlgorithmSettings.DEFAULT);
        List<String> models = List.of("linear", "mlp");
        int[] hidden = {64};
        List<RunRecord> records = new ArrayList<>();
        run.out().printf("Data hypercleaning on UCI digits: 1000 training examples with %.0f%% of labels flipped, "
                + "300 clean validation, 497 test; %.0f s per run.%n", 100 * noise, seconds);
        try (Progress progress = Progress.seconds("demo", models.size() * METHODS.length, seconds)) {
            for (String model : models) {
                HypercleaningExperiment experiment = new HypercleaningExperiment(new HypercleaningSetup("digits", model,
                        hidden, noise, 1000, 300, 0, 0, 10, 0.1, 0, 1e-3, run.seed()));
                String modelName = ModelSpec.describe(model, hidden);
                for (String name : METHODS) {
                    HypergradientMethod method = methodSpec.build(name);
                    progress.startRun(modelName + " " + method.name());
                    experiment.warmUp(method, warmupSteps);
                    long started = System.nanoTime();
                    TrainingResult result = experiment.run(method, Budget.seconds(seconds), 1, null, 0, false,
                            Map.of(), List.of(progress.listener()));
                    progress.finishRun(result.status() == TrainingResult.Status.COMPLETED);
                    records.add(new RunRecord(modelName, method.name(), result, (System.nanoTime() - started) * 1e-9));
                }
            }
        }
        new ComparisonReport(records).printAndWrite(run.out(), out);
        return 0;
    }
}
