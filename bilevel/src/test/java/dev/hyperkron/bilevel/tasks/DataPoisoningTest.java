package dev.hyperkron.bilevel.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.influence.NewtonMinimizer;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.models.Models;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * Data poisoning on small Gaussian clusters (F64, logistic regression): the poison starts as
 * flipped copies of training examples, its projection keeps features in the box and the
 * epsilon-ball (the Euclidean projection onto their intersection) and labels on the simplex, and
 * a few outer steps raise the validation loss of a victim retrained from scratch on the poison.
 */
class DataPoisoningTest {

    /** Three Gaussian classes in four dimensions with means 3 apart: a learnable problem. */
    static Dataset clusters(Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 4);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            x.storage().setDouble(i * 4 + (int) y[i], x.storage().getDouble(i * 4 + (int) y[i]) + 3);
        }
        return Dataset.of(x, Tensor.of(y, n), 3);
    }

    static DataPoisoning.Builder builder(double budget) {
        Rng rng = new Rng(3);
        return DataPoisoning.builder(Models.logisticRegression(4, 3), clusters(rng, 60), clusters(rng, 40), clusters(rng, 40))
                .budget(budget).weightDecay(0.05).dtype(DType.F64).seed(5);
    }

    @Test
    void poisonStartsAsFlippedCopiesOfDistinctTrainingExamples() {
        DataPoisoning p = builder(0.1).learnLabels(true).build();
        assertEquals(6, p.poisonCount());
        int[] sources = p.sources();
        assertEquals(6, Arrays.stream(sources).distinct().count());
        Params lambda = p.initialOuter();
        DataPoisoning.PoisonedSet set = p.poisonedTrainingSet(lambda);
        assertEquals(66, set.examples().size());
        assertEquals(6.0, set.poisonMask().cast(DType.F64).sum().item());
        assertEquals(6.0, set.poisonMask().cast(DType.F64).slice(0, 60, 66).sum().item());
        for (int i = 0; i < 6; i++) {
            Tensor copied = set.examples().features().slice(0, 60 + i, 61 + i);
            assertEquals(copied, set.examples().features().slice(0, sources[i], sources[i] + 1));
            assertNotEquals(set.examples().label(sources[i]), set.examples().label(60 + i), "label of poison " + i);
        }
        Tensor labels = lambda.value(DataPoisoning.LABELS);
        assertEquals(6.0, labels.sum().item(), "one-hot rows");
    }

    @Property(tries = 50)
    void projectionKeepsFeaturesInTheBoxAndTheBallAndLabelsOnTheSimplex(
            @ForAll @DoubleRange(min = 0.01, max = 5) double epsilon, @ForAll @DoubleRange(min = 0.1, max = 10) double scale,
            @ForAll long seed) {
        DataPoisoning p = builder(0.1).learnLabels(true).epsilon(epsilon).featureBox(-2, 4).build();
        Params start = p.initialOuter();
        Rng rng = new Rng(seed);
        Params moved = start.mapValues(v -> v.add(Tensor.randn(rng, DType.F64, v.shape().dims()).mul(scale)));
        Params projected = p.project(moved);
        double[] x0 = start.value(DataPoisoning.FEATURES).toDoubleArray();
        double[] x = moved.value(DataPoisoning.FEATURES).toDoubleArray();
        double[] y = projected.value(DataPoisoning.FEATURES).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertTrue(x0[i] >= -2 && x0[i] <= 4, "the start lies in the box");
            double lower = Math.max(-2, x0[i] - epsilon);
            double upper = Math.min(4, x0[i] + epsilon);
            assertEquals(Math.min(Math.max(x[i], lower), upper), y[i], 0, "feature " + i);
        }
        Tensor labels = projected.value(DataPoisoning.LABELS);
        assertTrue(labels.min().item() >= 0, "negative label mass");
        Tensor rowSums = labels.sum(1, false);
        for (double s : rowSums.toDoubleArray()) {
            assertEquals(1, s, 1e-12, "label row sum");
        }
        Params again = p.project(projected);
        assertEquals(projected.value(DataPoisoning.FEATURES), again.value(DataPoisoning.FEATURES), "projection is idempotent");
    }

    @Test
    void aFewOuterStepsRaiseTheValidationLossOfARetrainedVictim() {
        DataPoisoning p = builder(0.1).featureBox(-4, 7).build();
        TrainerConfig config = TrainerConfig.builder(new ImplicitDifferentiation(IhvpMethods.exact(0)))
                .innerSteps(20).innerOptimizer(OptimizerSpec.sgd(0.3, 0.9)).outerOptimizer(OptimizerSpec.adam(0.3))
                .budget(Budget.steps(15)).seed(1).build();
        TrainingResult result = new BilevelTrainer(p, config).run();
        assertEquals(TrainingResult.Status.COMPLETED, result.status(), result.message());
        NewtonMinimizer newton = NewtonMinimizer.toGradientNorm(1e-9);
        AttackEvaluation.Outcome before = AttackEvaluation.retrain(p, p.initialOuter(), newton, new Rng(7));
        AttackEvaluation.Outcome after = AttackEvaluation.retrain(p, result.lambda(), newton, new Rng(7));
        System.out.printf("poisoning 6 of 60 cluster examples, 15 AID-exact steps: retrained victim's validation loss "
                + "%.4f (clean %.4f, flipped copies %.4f), test accuracy %.3f (clean %.3f)%n", after.poisonedValidationLoss(),
                after.cleanValidationLoss(), before.poisonedValidationLoss(), after.poisoned().accuracy(),
                after.clean().accuracy());
        assertTrue(before.converged() && after.converged(), "Newton retraining did not converge");
        assertEquals(before.cleanValidationLoss(), after.cleanValidationLoss(), 0, "the clean victim ignores the poison");
        assertTrue(after.poisonedValidationLoss() > before.poisonedValidationLoss() + 0.05,
                "the attack should raise the validation loss: " + before.poisonedValidationLoss() + " -> "
                        + after.poisonedValidationLoss());
        assertTrue(result.last().metrics().get("poisonShift") > 0);
    }

    @Test
    void refusesBudgetsOutsideTheUnitIntervalAndMorePoisonThanExamples() {
        assertThrows(IllegalArgumentException.class, () -> builder(0));
        assertThrows(IllegalArgumentException.class, () -> builder(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(0.1).poisonCount(61).build());
        assertTrue(e.getMessage().contains("61"), e.getMessage());
    }
}
