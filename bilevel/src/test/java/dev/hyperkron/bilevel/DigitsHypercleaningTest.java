package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.LabelNoise;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.NoisyLabels;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.models.Models;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data hypercleaning on the embedded digits with 45% label noise actually cleans (fixed seed). */
class DigitsHypercleaningTest {
    private static final double NOISE = 0.45;

    static DataHypercleaning problem(long seed) {
        return problem(seed, 1e-3);
    }

    static DataHypercleaning problem(long seed, double weightDecay) {
        Rng rng = new Rng(seed);
        Split split = Split.bySizes(Digits.load(), 1000, 300, 497, rng.split(), true);
        NoisyLabels noisy = LabelNoise.uniform(NOISE).withReplacement(LabelNoise.Replacement.OTHER_CLASS)
                .apply(split.train(), rng.split());
        Normalizer normalizer = Normalizer.standardize(noisy.dataset());
        return DataHypercleaning.builder(Models.logisticRegression(64, 10), normalizer.apply(noisy.dataset()),
                noisy.corrupted(), normalizer.apply(split.validation()), normalizer.apply(split.test()))
                .weightDecay(weightDecay).seed(seed).build();
    }

    static TrainingResult run(HypergradientMethod method, int steps) {
        TrainerConfig config = TrainerConfig.builder(method).innerSteps(10).innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.sgd(1000, 0.9)).budget(Budget.steps(steps)).seed(1).build();
        return new BilevelTrainer(problem(1), config).run();
    }

    @Test
    void aidKfacFlagsCorruptedLabelsAndBeatsUniformWeights() {
        TrainingResult cleaned = run(new ImplicitDifferentiation(
                IhvpMethods.kfac()), 40);
        TrainingResult uniform = run(new Baseline(), 40);
        assertEquals(TrainingResult.Status.COMPLETED, cleaned.status());
        Map<String, Double> m = cleaned.last().metrics();
        Map<String, Double> baseline = uniform.last().metrics();
        System.out.printf("digits, 45%% noise, 40 outer steps: AID-KFAC F1 %.3f (precision %.3f, recall %.3f), "
                + "test accuracy %.3f vs %.3f with uniform weights%n", m.get("f1"), m.get("precision"), m.get("recall"),
                m.get("testAccuracy"), baseline.get("testAccuracy"));
        // Flagging at random with the right rate would score an F1 near the noise rate.
        assertTrue(m.get("f1") > 0.8, "F1 " + m.get("f1"));
        assertTrue(m.get("testAccuracy") > baseline.get("testAccuracy") + 0.05,
                "test accuracy " + m.get("testAccuracy") + " vs uniform weights " + baseline.get("testAccuracy"));
    }
}
