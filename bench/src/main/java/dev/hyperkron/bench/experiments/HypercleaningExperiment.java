package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.StepListener;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.LabelNoise;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.NoisyLabels;
import dev.hyperkron.nn.data.Split;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data-hypercleaning experiment: the data set is loaded, split (stratified), corrupted and
 * standardized once; every run then gets a fresh problem with the same data and seed, so
 * methods are compared on identical inputs.
 */
public final class HypercleaningExperiment {
    private final HypercleaningSetup setup;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final NoisyLabels noisy;
    private final Device device;

    public HypercleaningExperiment(HypercleaningSetup setup) {
        this(setup, DataSets.loadAsDistributed(setup.dataSet()));
    }

    /** An experiment on data already loaded (the set the setup names), so that seeds and cases share one load. */
    public HypercleaningExperiment(HypercleaningSetup setup, DataSets.AsDistributed data) {
        this.setup = setup;
        if (setup.trainSize() < 1 || setup.validationSize() < 1) {
            throw new UserError("--train-size and --val-size must be at least 1 (the inner loss needs training examples, "
                    + "the outer loss validation examples), got " + setup.trainSize() + " and " + setup.validationSize());
        }
        if (!(setup.noise() >= 0 && setup.noise() < 1)) {
            throw new UserError("the noise rate must be in [0, 1), got " + setup.noise());
        }
        Rng rng = new Rng(setup.seed());
        Split split = DataSplits.split(data, setup.dataSet(), setup.trainSize(), setup.validationSize(), setup.testSize(),
                rng);
        this.noisy = LabelNoise.uniform(setup.noise()).withReplacement(LabelNoise.Replacement.OTHER_CLASS)
                .apply(split.train(), rng.split());
        Normalizer normalizer = Normalizer.standardize(noisy.dataset());
        this.train = normalizer.apply(noisy.dataset());
        this.validation = normalizer.apply(split.validation());
        this.test = normalizer.apply(split.test());
        this.device = Device.host();
    }

    private HypercleaningExperiment(HypercleaningExperiment data, Device device) {
        this.setup = data.setup;
        // Moved once here, so that each problem built from them finds them on the device.
        this.train = data.train.to(device);
        this.validation = data.validation.to(device);
        this.test = data.test.to(device);
        this.noisy = data.noisy;
        this.device = device;
    }

    /** The same experiment with its problems' parameters, weights and features on {@code device}. */
    public HypercleaningExperiment on(Device device) {
        return new HypercleaningExperiment(this, device);
    }

    /** Number of test examples. */
    public int testCount() {
        return test.size();
    }

    public HypercleaningSetup setup() {
        return setup;
    }

    /** Number of training labels that were changed. */
    public int corruptedCount() {
        return noisy.corruptedCount();
    }

    /** A fresh problem (new samplers, same data and seed). */
    public DataHypercleaning problem() {
        return problem(train, noisy.corrupted(), 0.5);
    }

    /**
     * A fresh problem that trains the same model on a reference's examples, each weighted 1 (run
     * it with the {@link dev.hyperkron.bilevel.methods.Baseline} method, which leaves the weights alone).
     */
    public DataHypercleaning referenceProblem(ReferenceTraining reference) {
        Dataset examples = reference.trainingSet(validation, train);
        return problem(examples, Tensor.zeros(DType.F32, examples.size()), 1);
    }

    private DataHypercleaning problem(Dataset examples, Tensor corrupted, double initialWeight) {
        Module model = ModelSpec.build(setup.model(), examples.exampleShape(), examples.classes(), setup.hidden());
        DataHypercleaning.Builder b = DataHypercleaning.builder(model, examples, corrupted, validation, test)
                .weightDecay(setup.weightDecay()).initialWeight(initialWeight).seed(setup.seed() + 1).device(device);
        if (setup.batchSize() > 0) {
            b.trainBatch(setup.batchSize()).validationBatch(setup.batchSize());
        }
        return b.build();
    }

    /**
     * Runs a few outer steps of a method on a throwaway problem so that the JIT has compiled its
     * code before a timed run: methods compared under equal wall-clock budgets then start equal.
     */
    public void warmUp(HypergradientMethod method, int steps) {
        if (steps < 0) {
            throw new UserError("--warmup-steps must be >= 0, got " + steps);
        }
        if (steps > 0) {
            run(method, Budget.steps(steps), 0, null, 0, false, Map.of(), List.of());
        }
    }

    /**
     * Runs one method under a budget, evaluating every {@code evaluateEvery} steps; checkpoints
     * record the setup's settings and {@code methodSettings}, and a resume with others is refused.
     */
    public TrainingResult run(HypergradientMethod method, Budget budget, int evaluateEvery, Path checkpointDir,
                              int checkpointEvery, boolean resume, Map<String, String> methodSettings,
                              List<StepListener> listeners) {
        return run(problem(), method, budget, evaluateEvery, checkpointDir, checkpointEvery, resume, methodSettings,
                listeners);
    }

    /**
     * Runs one method on a given problem of this experiment (see {@link #referenceProblem}), with
     * checkpoints and resume as {@link #run(HypergradientMethod, Budget, int, Path, int, boolean, Map, List)}.
     */
    public TrainingResult run(DataHypercleaning problem, HypergradientMethod method, Budget budget, int evaluateEvery,
                              Path checkpointDir, int checkpointEvery, boolean resume,
                              Map<String, String> methodSettings, List<StepListener> listeners) {
        Map<String, String> settings = new LinkedHashMap<>(setup.settings());
        settings.putAll(methodSettings);
        TrainerConfig.Builder config = TrainerConfig.builder(method)
                .innerSteps(setup.innerSteps())
                .innerOptimizer(setup.innerOptimizerSpec())
                .outerOptimizer(setup.outerOptimizerSpec())
                .budget(budget)
                .seed(setup.seed())
                .evaluateEvery(evaluateEvery)
                .resume(resume)
                .settings(settings);
        if (checkpointDir != null) {
            config.checkpoint(checkpointDir, checkpointEvery);
        }
        listeners.forEach(config::listener);
        return new BilevelTrainer(problem, config.build()).run();
    }
}
