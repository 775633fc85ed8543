package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.tasks.ClassificationMetrics;
import dev.hyperkron.bilevel.tasks.SupervisedProblem;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.ClassBalance;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The custom problem of README.md ("Your own bilevel problem"): ten class weights for an
 * imbalanced digits training set, learned so that a model trained with them does well on a
 * balanced validation set; AID-KFAC and AID-CG against uniform weights on balanced accuracy.
 */
class ClassReweightingExampleTest {

    private record Outcome(ClassificationMetrics test, Tensor classWeights) {
    }

    private static Outcome run(HypergradientMethod method) {
        // --- README class reweighting, from here ---
        Rng rng = new Rng(3);
        Dataset digits = Digits.load();
        Split split = Split.stratifiedBySizes(Normalizer.standardize(digits).apply(digits), 1000, 300, 497, rng.split());
        int[] counts = ClassBalance.exponentialProfile(10, 90, 20);           // 90 of class 0 ... 5 of class 9
        Dataset imbalanced = ClassBalance.subsample(split.train(), counts, rng.split());
        Module model = Models.mlp(64, new int[] {32}, 10, Activation.relu());
        Reparameterization positive = Reparameterization.SOFTPLUS;             // class weights stay > 0
        SupervisedProblem problem = SupervisedProblem.builder(model, imbalanced, split.validation(), split.test())
                .outer("classWeights", positive.inverse(Tensor.ones(DType.F32, 10))) // every weight starts at 1
                .exampleWeights((batch, lambda) -> positive.forward(lambda.get("classWeights"))
                        .indexSelect(0, batch.labels()))
                .weightDecay(1e-3).seed(1).build();
        TrainingResult result = new BilevelTrainer(problem, TrainerConfig.builder(method)
                .innerSteps(10).outerOptimizer(OptimizerSpec.adam(0.05))
                .budget(Budget.steps(60)).seed(1).build()).run();
        ClassificationMetrics test = ClassificationMetrics.of(model, result.theta(), split.test());
        Tensor classWeights = positive.forward(result.lambda().value("classWeights"));
        // --- to here ---
        assertEquals(TrainingResult.Status.COMPLETED, result.status());
        return new Outcome(test, classWeights);
    }

    @Test
    void learnedClassWeightsBeatUniformWeightsOnBalancedAccuracy() {
        Outcome uniform = run(new Baseline());
        Outcome kfac = run(new ImplicitDifferentiation(IhvpMethods.kfac()));
        Outcome cg = run(new ImplicitDifferentiation(IhvpMethods.cg().iterations(10)));
        System.out.printf("balanced test accuracy: uniform %.4f, AID-KFAC %.4f, AID-CG(10) %.4f%n",
                uniform.test().balancedAccuracy(), kfac.test().balancedAccuracy(), cg.test().balancedAccuracy());
        System.out.println("AID-KFAC class weights: " + kfac.classWeights());
        assertTrue(kfac.test().balancedAccuracy() > uniform.test().balancedAccuracy(), "AID-KFAC vs uniform");
        assertTrue(cg.test().balancedAccuracy() > uniform.test().balancedAccuracy(), "AID-CG vs uniform");
        // the rare classes gain weight over the frequent ones
        assertTrue(kfac.classWeights().slice(0, 7, 10).mean().item() > kfac.classWeights().slice(0, 0, 3).mean().item(),
                kfac.classWeights().toString());
    }

    /** Class weights used as they are, kept at least 0 by the projection. */
    private static SupervisedProblem boundedClassWeights(Tensor initial) {
        Rng rng = new Rng(3);
        Dataset digits = Digits.load();
        Split split = Split.stratifiedBySizes(Normalizer.standardize(digits).apply(digits), 1000, 300, 497, rng.split());
        Dataset imbalanced = ClassBalance.subsample(split.train(), ClassBalance.exponentialProfile(10, 90, 20), rng.split());
        return SupervisedProblem.builder(Models.mlp(64, new int[] {32}, 10, Activation.relu()), imbalanced,
                        split.validation(), split.test())
                .outer("classWeights", initial)
                .exampleWeights((batch, lambda) -> lambda.get("classWeights").indexSelect(0, batch.labels()))
                .projection(Projection.atLeast(0)).weightDecay(1e-3).seed(1).build();
    }

    @Test
    void aRunThatEndsWithMostOfLambdaPinnedAtABoundSaysSo() {
        // weights that start on the bound and never move (the baseline takes no outer steps)
        TrainingResult pinned = new BilevelTrainer(boundedClassWeights(Tensor.zeros(DType.F32, 10)),
                TrainerConfig.builder(new Baseline()).budget(Budget.steps(2)).build()).run();
        assertEquals(List.of("baseline: the projection holds 100% of the outer variable at a bound after the last step; "
                + "the outer step size is probably too large for this method's hypergradient scale (see "
                + "hypergradientNorm in the history)"), pinned.warnings());
        // the default outer optimizer (Adam, 0.05) moves weights that start at 1 without pinning them
        SupervisedProblem fromOne = boundedClassWeights(Tensor.ones(DType.F32, 10));
        HypergradientMethod kfacMc = new ImplicitDifferentiation(IhvpMethods.kfac().fisher(FisherType.MC));
        TrainingResult adam = new BilevelTrainer(fromOne, TrainerConfig.builder(kfacMc).budget(Budget.steps(30)).build()).run();
        assertEquals(List.of(), adam.warnings(), adam.lambda().value("classWeights").toString());
        assertTrue(fromOne.pinnedFraction(adam.lambda()).getAsDouble() < 0.5);
    }
}
