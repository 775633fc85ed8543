package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.LabelNoise;
import dev.hyperkron.nn.data.NoisyLabels;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library example of README.md ("Use it as a library"), kept compiling and working. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleCleansTheDigits(@TempDir Path runs) {
        // --- README example, from here ---
        Rng rng = new Rng(1);
        Split split = Split.bySizes(Digits.load(), 1000, 300, 497, rng.split(), true);
        NoisyLabels noisy = LabelNoise.uniform(0.45).withReplacement(LabelNoise.Replacement.OTHER_CLASS)
                .apply(split.train(), rng.split());
        Normalizer normalizer = Normalizer.standardize(noisy.dataset());
        DataHypercleaning problem = DataHypercleaning.builder(Models.mlp(64, new int[] {64}, 10, Activation.relu()),
                        normalizer.apply(noisy.dataset()), noisy.corrupted(),
                        normalizer.apply(split.validation()), normalizer.apply(split.test()))
                .weightDecay(1e-3).seed(1).build();

        HypergradientMethod aidKfac = new ImplicitDifferentiation(
                IhvpMethods.kfac().fisher(FisherType.MC));
        TrainerConfig config = TrainerConfig.builder(aidKfac)
                .innerSteps(10).innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.sgd(1000, 0.9))
                .budget(Budget.steps(40)).seed(1)
                .checkpoint(runs.resolve("aid-kfac"), 10)
                .settings(Map.of("noise", "0.45"))
                .build();
        TrainingResult result = new BilevelTrainer(problem, config).run();
        Map<String, Double> metrics = result.last().metrics(); // testLoss, testAccuracy, precision, recall, f1, flagged
        // --- to here ---

        assertEquals(TrainingResult.Status.COMPLETED, result.status());
        assertTrue(metrics.get("f1") > 0.8 && metrics.get("testAccuracy") > 0.9, metrics.toString());
        assertTrue(Files.exists(runs.resolve("aid-kfac").resolve("checkpoint.safetensors")));
    }

    @Test
    void theHypergradientByHandIsWhatAidComputes() {
        Rng rng = new Rng(2);
        Split split = Split.bySizes(Digits.load(), 200, 100, 100, rng.split(), true);
        DataHypercleaning problem = DataHypercleaning.builder(Models.mlp(64, new int[] {16}, 10, Activation.tanh()),
                split.train(), dev.hyperkron.core.Tensor.zeros(dev.hyperkron.core.DType.U8, 200), split.validation(),
                split.test()).weightDecay(1e-3).seed(1).build();
        Params theta = problem.initialInner(new Rng(3));
        Params lambda = problem.initialOuter();

        // --- README hypergradient, from here ---
        Grad.Partials f = Grad.partials(problem.outer()::at, theta, lambda);           // f, df/dtheta, df/dlambda
        IhvpSolver solver = IhvpMethods.kfac().build(theta, lambda, problem.inner(Role.CURVATURE), rng);
        IhvpSolver.Solution q = solver.solve(f.first());                                // q ~= H^-1 df/dtheta
        Params mixed = Grad.mixed(problem.inner(Role.MIXED)::at, theta, lambda, q.value()); // d/dlambda <dg/dtheta, q>
        Params hypergradient = f.second().sub(mixed);                                  // dF/dlambda
        // --- to here ---

        Params byAid = new ImplicitDifferentiation(IhvpMethods.kfac()).hypergradient(problem, theta, lambda, rng).value();
        assertTrue(byAid.flatten().allClose(hypergradient.flatten(), 1e-5, 1e-7), "by hand " + hypergradient.flatten()
                + "\nby AID " + byAid.flatten());
        assertTrue(q.report().converged() && q.report().solver().equals("KFAC inverse"), q.report().toString());
    }
}
