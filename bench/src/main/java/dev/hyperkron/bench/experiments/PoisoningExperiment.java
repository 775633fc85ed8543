package dev.hyperkron.bench.experiments;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.influence.NewtonMinimizer;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.tasks.AttackEvaluation;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.tasks.DataPoisoning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.StepListener;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import java.util.List;
import java.util.Map;

/**
 * A data-poisoning experiment: the data are split and standardized once; each (budget, method)
 * run attacks a fresh problem with the same poison sources, the outcome is measured on victims
 * retrained from scratch, and the defense runs data hypercleaning on the poisoned training set.
 */
public final class PoisoningExperiment {
    /** Adam's learning rate on the hypercleaning weights, which live in [0, 1]. */
    private static final double DEFENSE_LR = 0.05;

    private final PoisoningSetup setup;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Device device;

    /** An experiment on data already loaded (the set the setup names), so that seeds share one load. */
    public PoisoningExperiment(PoisoningSetup setup, DataSets.AsDistributed data) {
        this(setup, data, Device.host());
    }

    /** The same with the victims, the poison and the features of its attacks and defenses on {@code device}. */
    public PoisoningExperiment(PoisoningSetup setup, DataSets.AsDistributed data, Device device) {
        this.setup = setup;
        this.device = device;
        Split split = DataSplits.split(data, setup.dataSet(), setup.trainSize(), setup.validationSize(), setup.testSize(),
                new Rng(setup.seed()));
        Normalizer normalizer = Normalizer.standardize(split.train());
        // Moved once here, so that each attack's and defense's problem finds them on the device.
        this.train = normalizer.apply(split.train()).to(device);
        this.validation = normalizer.apply(split.validation()).to(device);
        this.test = normalizer.apply(split.test()).to(device);
    }

    public PoisoningSetup setup() {
        return setup;
    }

    /** Number of test examples. */
    public int testCount() {
        return test.size();
    }

    /** A fresh problem with poison of the given fraction of the training set. */
    public DataPoisoning problem(double budget) {
        DataPoisoning.Builder b = DataPoisoning.builder(model(), train, validation, test).budget(budget)
                .epsilon(setup.epsilon()).learnLabels(setup.learnLabels()).weightDecay(setup.weightDecay())
                .seed(setup.seed() + 1).device(device);
        if (setup.batchSize() > 0) {
            b.trainBatch(setup.batchSize()).validationBatch(setup.batchSize());
        }
        return b.build();
    }

    private Module model() {
        return ModelSpec.build(setup.model(), train.exampleShape(), train.classes(), setup.hidden(), Activation.tanh());
    }

    /** The attack: one method on the problem under a budget (inner SGD with momentum, outer Adam on the poison). */
    public TrainingResult attack(DataPoisoning problem, HypergradientMethod method, Budget budget,
                                 List<StepListener> listeners) {
        return train(problem, method, budget, OptimizerSpec.adam(setup.outerLr()), listeners);
    }

    /** Victims retrained from scratch on the clean set and on it plus the poison {@code lambda} describes. */
    public AttackEvaluation.Outcome evaluate(DataPoisoning problem, Params lambda) {
        return AttackEvaluation.retrain(problem, lambda, NewtonMinimizer.toGradientNorm(setup.gradientTolerance())
                .maxSteps(100), new Rng(setup.seed() + 2));
    }

    /**
     * The defense: data hypercleaning of the poisoned training set against the clean validation
     * set for {@link PoisoningSetup#defendSteps()} outer steps (fewer if it diverges), scored on
     * flagging the poison by a weight below 0.5: precision, recall, F1 and the flagged fraction.
     */
    public Map<String, Double> defend(DataPoisoning problem, Params lambda, HypergradientMethod method) {
        DataPoisoning.PoisonedSet poisoned = problem.poisonedTrainingSet(lambda);
        DataHypercleaning.Builder b = DataHypercleaning.builder(model(), poisoned.examples(), poisoned.poisonMask(),
                validation, test).weightDecay(setup.weightDecay()).seed(setup.seed() + 3).device(device);
        if (setup.batchSize() > 0) {
            b.trainBatch(setup.batchSize()).validationBatch(setup.batchSize());
        }
        DataHypercleaning cleaning = b.build();
        TrainingResult result = train(cleaning, method, Budget.steps(setup.defendSteps()), OptimizerSpec.adam(DEFENSE_LR),
                List.of());
        return cleaning.cleaningScores(result.lambda().value(DataHypercleaning.WEIGHTS));
    }

    private TrainingResult train(BilevelProblem problem, HypergradientMethod method, Budget budget,
                                 OptimizerSpec outer, List<StepListener> listeners) {
        TrainerConfig.Builder config = TrainerConfig.builder(method).innerSteps(setup.innerSteps())
                .innerOptimizer(OptimizerSpec.sgd(setup.innerLr(), 0.9)).outerOptimizer(outer).budget(budget)
                .seed(setup.seed());
        listeners.forEach(config::listener);
        return new BilevelTrainer(problem, config.build()).run();
    }
}
