package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.InnerStepFactors;
import dev.hyperkron.bilevel.methods.KfacIhvp;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.LabelNoise;
import dev.hyperkron.nn.data.NoisyLabels;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AID-KFAC with its factors gathered during the inner steps (A from every step's forward pass, G
 * from a Fisher-type backward on the last step) against KFAC's factors of its own.
 */
class InnerStepFactorsTest {

    /** Hypercleaning of the digits with an MLP(16), F64, mini-batches of {@code batch}. */
    private static DataHypercleaning mlpProblem(long seed, int batch) {
        Rng rng = new Rng(seed);
        Split split = Split.bySizes(Digits.load(), 512, 200, 300, rng.split(), true);
        NoisyLabels noisy = LabelNoise.uniform(0.45).withReplacement(LabelNoise.Replacement.OTHER_CLASS)
                .apply(split.train(), rng.split());
        Normalizer normalizer = Normalizer.standardize(noisy.dataset());
        return DataHypercleaning.builder(Models.mlp(64, new int[] {16}, 10, Activation.tanh()),
                normalizer.apply(noisy.dataset()), noisy.corrupted(), normalizer.apply(split.validation()),
                normalizer.apply(split.test())).dtype(DType.F64).trainBatch(batch).weightDecay(1e-3).initialWeight(0.7)
                .seed(seed).build();
    }

    /** The problem with one inner batch for every role: the inner step and KFAC see the same examples in one order. */
    private static BilevelProblem oneInnerBatch(BilevelProblem p) {
        InnerObjective g = p.inner(Role.INNER);
        return new BilevelProblem() {
            @Override
            public Params initialInner(Rng rng) {
                return p.initialInner(rng);
            }

            @Override
            public Params initialOuter() {
                return p.initialOuter();
            }

            @Override
            public InnerObjective inner(Role role) {
                return g;
            }

            @Override
            public Objective outer() {
                return p.outer();
            }

            @Override
            public Map<String, Double> metrics(Params theta, Params lambda) {
                return p.metrics(theta, lambda);
            }
        };
    }

    private static Params randomLike(Params p, long seed) {
        Rng rng = new Rng(seed);
        return p.mapValues(t -> Tensor.randn(rng, t.dtype(), t.shape().dims()));
    }

    private static double relativeDistance(Params expected, Params actual) {
        return expected.sub(actual).norm() / expected.norm();
    }

    @Property(tries = 8)
    void oneInnerStepCapturesTheFactorsKfacComputesOnThatBatchAtTheStartingPoint(
            @ForAll @IntRange(min = 0, max = 1) int fisher, @ForAll boolean eigenvalueCorrected,
            @ForAll @IntRange(min = 0, max = 100) int seed) {
        FisherType type = fisher == 0 ? FisherType.TYPE2 : FisherType.MC;
        KfacIhvp kfac = (eigenvalueCorrected ? IhvpMethods.ekfac() : IhvpMethods.kfac()).fisher(type);
        BilevelProblem problem = oneInnerBatch(mlpProblem(seed, 64));
        Params theta = problem.initialInner(new Rng(seed));
        Params lambda = problem.initialOuter();

        InnerStepFactors captured = kfac.factorsFromInnerSteps().innerStepCapture(theta, new Rng(11)).orElseThrow();
        new InnerLoop(problem, OptimizerSpec.sgd(0.1, 0.9).create(), 1).run(theta, lambda, captured);
        assertEquals(1, captured.steps());
        // MC draws its labels from the random stream: in the same state, both draw the same ones.
        IhvpSolver own = kfac.build(theta, lambda, problem.inner(Role.CURVATURE), new Rng(11));

        Params v = randomLike(theta, seed);
        Params expected = own.solve(v).value();
        Params actual = captured.solver().solve(v).value();
        // EKFAC with MC refits on a second sample of its own, the capture on the one it drew for G.
        double tolerance = eigenvalueCorrected && type == FisherType.MC ? 0.5 : 1e-9;
        assertTrue(relativeDistance(expected, actual) <= tolerance,
                type + (eigenvalueCorrected ? " EKFAC" : " KFAC") + ": " + relativeDistance(expected, actual));
    }

    /** One outer step of AID from the same start, with the factors of its own or from the inner steps. */
    private static OuterStep step(KfacIhvp kfac, long seed, int innerSteps) {
        DataHypercleaning problem = mlpProblem(seed, 128);
        Params theta = problem.initialInner(new Rng(seed));
        InnerLoop inner = new InnerLoop(problem, OptimizerSpec.sgd(0.1, 0.9).create(), innerSteps);
        return new ImplicitDifferentiation(kfac).run(problem, theta, problem.initialOuter(), inner, new Rng(seed));
    }

    @Test
    void theHypergradientWithFactorsFromTheInnerStepsPointsWhereTheFreshOnePoints() {
        for (boolean mc : new boolean[] {false, true}) {
            KfacIhvp kfac = mc ? IhvpMethods.kfac().fisher(FisherType.MC) : IhvpMethods.kfac();
            double sum = 0;
            int seeds = 6;
            for (int seed = 0; seed < seeds; seed++) {
                OuterStep fresh = step(kfac, seed, 10);
                OuterStep inner = step(kfac.factorsFromInnerSteps(), seed, 10);
                assertEquals(fresh.theta().flatten(), inner.theta().flatten(), "the capture must not change the inner phase");
                double cosine = fresh.hypergradient().cosine(inner.hypergradient());
                double ratio = inner.hypergradient().norm() / fresh.hypergradient().norm();
                System.out.printf("factors from the inner steps (%s), seed %d: cosine %.4f, norm ratio %.3f%n",
                        mc ? "MC" : "type-2", seed, cosine, ratio);
                // Both curvatures approximate one Hessian: A lags by up to T = 10 steps, and the fresh
                // factors sample another batch, so the two agree closely but not exactly.
                assertTrue(cosine > 0.85, "cosine " + cosine + " at seed " + seed);
                assertTrue(ratio > 0.5 && ratio < 2, "norm ratio " + ratio + " at seed " + seed);
                sum += cosine;
            }
            assertTrue(sum / seeds > 0.9, "mean cosine " + sum / seeds);
        }
    }

    /** KFAC from the inner steps that records at which outer steps (counted by a listener) it captured. */
    private static final class CountingCapture implements IhvpMethod {
        final KfacIhvp kfac = IhvpMethods.kfac().factorsFromInnerSteps();
        final List<Integer> captures = new ArrayList<>();
        int step;

        @Override
        public String name() {
            return kfac.name();
        }

        @Override
        public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
            return kfac.build(theta, lambda, curvature, rng);
        }

        @Override
        public Optional<InnerStepFactors> innerStepCapture(Params theta, Rng rng) {
            captures.add(step);
            return kfac.innerStepCapture(theta, rng);
        }
    }

    private static TrainerConfig.Builder config(ImplicitDifferentiation method, int steps) {
        return TrainerConfig.builder(method).innerSteps(3).innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.sgd(300, 0.9)).budget(Budget.steps(steps)).seed(2).evaluateEvery(0);
    }

    @Test
    void withAmortizedCurvatureOnlyTheInnerPhasesOfRefreshStepsAreCaptured() {
        CountingCapture counter = new CountingCapture();
        TrainerConfig c = config(new ImplicitDifferentiation(counter).refreshingEvery(3), 7)
                .listener((entry, theta, lambda) -> counter.step = entry.step()).build();
        TrainingResult result = new BilevelTrainer(DigitsHypercleaningTest.problem(3), c).run();
        assertEquals(TrainingResult.Status.COMPLETED, result.status(), result.message());
        assertEquals(List.of(0, 3, 6), counter.captures);
        assertEquals("AID-KFAC-inner/3", new ImplicitDifferentiation(counter.kfac).refreshingEvery(3).name());
    }

    @Test
    void aResumedRunWithFactorsFromTheInnerStepsRepeatsTheUninterruptedRun(@TempDir Path dir) {
        ImplicitDifferentiation method = new ImplicitDifferentiation(IhvpMethods.kfac().fisher(FisherType.MC)
                .factorsFromInnerSteps());
        // Evaluated every 2 steps, so that the interrupted run's final evaluation (step 2) is one of the whole run's.
        TrainingResult whole = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(method, 4).evaluateEvery(2).build()).run();
        new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 2).evaluateEvery(2).checkpoint(dir, 1)
                .build()).run();
        TrainingResult resumed = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(method, 4).evaluateEvery(2).checkpoint(dir, 1).resume(true).build()).run();
        assertEquals(whole.history().stream().map(HistoryEntry::withoutTimes).toList(),
                resumed.history().stream().map(HistoryEntry::withoutTimes).toList());
        assertEquals(whole.lambda().flatten(), resumed.lambda().flatten());
    }

    @Test
    void factorsFromTheInnerStepsAreRefusedWhereNoInnerPhaseCanBeCaptured() {
        KfacIhvp inner = IhvpMethods.kfac().factorsFromInnerSteps();
        assertEquals("KFAC-inner", inner.name());
        assertEquals("EKFAC-MC-inner", IhvpMethods.ekfac().fisher(FisherType.MC).factorsFromInnerSteps().name());
        DataHypercleaning problem = mlpProblem(1, 64);
        Params theta = problem.initialInner(new Rng(1));
        IllegalStateException noBatchBuild = assertThrows(IllegalStateException.class,
                () -> inner.build(theta, problem.initialOuter(), problem.inner(Role.CURVATURE), new Rng(1)));
        assertTrue(noBatchBuild.getMessage().contains("inner phase"), noBatchBuild.getMessage());

        QuadraticProblem quadratic = new QuadraticProblem(1, 4, 2);
        InnerLoop loop = new InnerLoop(quadratic, OptimizerSpec.sgd(0.1, 0).create(), 2);
        IllegalArgumentException notAModelLoss = assertThrows(IllegalArgumentException.class,
                () -> new ImplicitDifferentiation(inner).run(quadratic, quadratic.initialInner(new Rng(1)),
                        quadratic.initialOuter(), loop, new Rng(1)));
        assertTrue(notAModelLoss.getMessage().contains("model loss"), notAModelLoss.getMessage());
    }
}
