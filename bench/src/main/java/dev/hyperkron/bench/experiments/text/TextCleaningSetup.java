package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.nn.transformer.Pooling;

/**
 * Everything that defines a text data-hypercleaning run apart from the method, the number of
 * trainable layers and the seed. The outer optimizer is Adam, whose steps do not depend on the
 * hypergradient's scale (which differs between methods by orders of magnitude).
 *
 * @param maxLength      tokens per question, longer ones truncated ([CLS] and [SEP] included)
 * @param batchSize      training (inner, curvature, mixed) and validation (outer) batch size
 * @param innerSteps     inner steps per outer step (T)
 * @param innerOptimizer optimizer of the inner steps
 * @param innerLr        inner learning rate
 * @param outerLr        Adam's learning rate on the per-question weights
 * @param weightDecay    inner L2 coefficient
 * @param pooling        how the classifier pools the top layer's states
 * @param evaluateEvery  test metrics every this many outer steps (and after the last)
 */
public record TextCleaningSetup(int maxLength, int batchSize, int innerSteps, OptimizerKind innerOptimizer,
                                double innerLr, double outerLr, double weightDecay, Pooling pooling,
                                int evaluateEvery) {

    public TextCleaningSetup {
        Checks.atLeast("--max-length", maxLength, 3);
        Checks.atLeast("--batch-size", batchSize, 1);
        Checks.atLeast("--inner-steps", innerSteps, 1);
        Checks.atLeast("--eval-every", evaluateEvery, 1);
        Checks.positive("--inner-lr", innerLr);
        Checks.positive("--outer-lr", outerLr);
        Checks.nonNegative("--weight-decay", weightDecay);
    }

    OptimizerSpec innerOptimizerSpec() {
        return innerOptimizer.spec(innerLr);
    }

    OptimizerSpec outerOptimizerSpec() {
        return OptimizerKind.ADAM.spec(outerLr);
    }
}
