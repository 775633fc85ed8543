package dev.hyperkron.bench.experiments;

import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.nn.optim.AdamSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that defines a data-hypercleaning experiment apart from the method and budget.
 *
 * @param dataSet        data set name (see {@link DataSets})
 * @param model          linear, mlp or cnn
 * @param hidden         hidden sizes of the mlp
 * @param noise          fraction of training labels replaced by a different class
 * @param trainSize      training examples (noisy)
 * @param validationSize clean validation examples
 * @param testSize       test examples (0: all of the official test set, or all remaining examples of a set
 *                       distributed without one)
 * @param batchSize      training and validation batch size (0: full batch)
 * @param innerSteps     inner SGD steps per outer step (T)
 * @param innerLr        inner learning rate
 * @param outerLr        outer learning rate (0: a default, see {@link #effectiveOuterLr()})
 * @param weightDecay    inner L2 coefficient
 * @param seed           seed of the split, the noise, the initialisation and the sampling
 * @param innerOptimizer optimizer of the inner steps
 * @param outerOptimizer optimizer of the weights
 */
public record HypercleaningSetup(String dataSet, String model, int[] hidden, double noise, int trainSize,
                                 int validationSize, int testSize, int batchSize, int innerSteps, double innerLr,
                                 double outerLr, double weightDecay, long seed, OptimizerKind innerOptimizer,
                                 OptimizerKind outerOptimizer) {

    /** Outer learning rate of Adam when none is given: weights live in [0, 1] and Adam steps are about lr. */
    static final double DEFAULT_ADAM_OUTER_LR = 0.05;

    /** The optimizers a setup can name; both keep their state across outer steps. */
    public enum OptimizerKind {
        /** SGD with momentum 0.9. */
        SGD,
        /** Adam with PyTorch's default betas and eps. */
        ADAM;

        /** This optimizer with the given learning rate. */
        public OptimizerSpec spec(double learningRate) {
            return this == SGD ? OptimizerSpec.sgd(learningRate, 0.9)
                    : OptimizerSpec.adam(AdamSettings.adam().learningRate(learningRate).build());
        }
    }

    /** A setup with SGD (momentum 0.9) for both levels. */
    public HypercleaningSetup(String dataSet, String model, int[] hidden, double noise, int trainSize, int validationSize,
                              int testSize, int batchSize, int innerSteps, double innerLr, double outerLr,
                              double weightDecay, long seed) {
        this(dataSet, model, hidden, noise, trainSize, validationSize, testSize, batchSize, innerSteps, innerLr, outerLr,
                weightDecay, seed, OptimizerKind.SGD, OptimizerKind.SGD);
    }

    /** This setup with another seed: the same experiment on another split, noise, initialisation and sampling. */
    public HypercleaningSetup withSeed(long newSeed) {
        return new HypercleaningSetup(dataSet, model, hidden, noise, trainSize, validationSize, testSize, batchSize,
                innerSteps, innerLr, outerLr, weightDecay, newSeed, innerOptimizer, outerOptimizer);
    }

    /**
     * The outer learning rate, resolving the 0 default: the number of training examples for SGD
     * (each weight's hypergradient is of order 1/N), {@value #DEFAULT_ADAM_OUTER_LR} for Adam.
     */
    public double effectiveOuterLr() {
        if (outerLr > 0) {
            return outerLr;
        }
        return outerOptimizer == OptimizerKind.SGD ? trainSize : DEFAULT_ADAM_OUTER_LR;
    }

    /**
     * The setup by command-line option name and value, as a checkpoint records it: a resume with
     * any of them changed would mix two experiments.
     */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("--data", dataSet);
        s.put("--model", model);
        s.put("--hidden", Arrays.toString(hidden));
        s.put("--noise", String.valueOf(noise));
        s.put("--train-size", String.valueOf(trainSize));
        s.put("--val-size", String.valueOf(validationSize));
        s.put("--test-size", String.valueOf(testSize));
        s.put("--batch-size", String.valueOf(batchSize));
        s.put("--inner-steps", String.valueOf(innerSteps));
        s.put("--inner-lr", String.valueOf(innerLr));
        s.put("--outer-lr", String.valueOf(outerLr));
        s.put("--weight-decay", String.valueOf(weightDecay));
        s.put("--seed", String.valueOf(seed));
        s.put("--inner-optimizer", innerOptimizer.name().toLowerCase(Locale.ROOT));
        s.put("--outer-optimizer", outerOptimizer.name().toLowerCase(Locale.ROOT));
        return s;
    }

    OptimizerSpec innerOptimizerSpec() {
        return innerOptimizer.spec(innerLr);
    }

    OptimizerSpec outerOptimizerSpec() {
        return outerOptimizer.spec(effectiveOuterLr());
    }
}
