package dev.hyperkron.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two references of the IHVP trade-off agree with themselves across their two paths: the
 * iterative one (MINRES on the Hessian, CG on the GGN) reaches the dense solve, on a model small
 * enough for both, at the methods' damping where the Hessian solve is indefinite.
 */
class ReferenceIhvpTest {

    private static IhvpProblem problem(IhvpTradeoffSetup setup) {
        Split split = Split.bySizes(DataSets.load("digits"), setup.trainSize(), setup.validationSize(), 0, new Rng(3), true);
        Normalizer normalizer = Normalizer.standardize(split.train());
        Dataset train = normalizer.apply(split.train());
        Module mlp = ModelSpec.build("mlp", train.exampleShape(), train.classes(), setup.hidden());
        return IhvpProblem.train("mlp(6)", mlp, setup, train, normalizer.apply(split.validation()));
    }

    @Test
    void iterativeReferencesReachTheDenseSolvesOfTheHessianAndTheGgn() {
        IhvpTradeoffSetup setup = new IhvpTradeoffSetup("digits", new int[] {6}, 200, 50, 150, 32, 0.05, 1e-3, 64, 1e-3,
                10, 5, 1, 0, 5000, 20000, 3, -1);
        IhvpProblem problem = problem(setup);
        double delta = setup.dampingFor(null);
        assertEquals(2e-3, delta, 1e-15, "the methods' damping plus the weight decay");
        for (ReferenceIhvp.Curvature curvature : List.of(ReferenceIhvp.Curvature.HESSIAN, ReferenceIhvp.Curvature.GGN)) {
            ReferenceIhvp dense = ReferenceIhvp.compute(problem, curvature, delta, 5000, 20000);
            ReferenceIhvp iterative = ReferenceIhvp.compute(problem, curvature, delta, 0, 20000);
            assertTrue(dense.exact() && !iterative.exact());
            assertFalse(iterative.description().contains("NOT"), iterative.description());
            double error = iterative.q().sub(dense.q()).norm() / dense.q().norm();
            assertTrue(error < 1e-6, curvature + ": relative difference " + error + "; " + iterative.description());
        }
        ReferenceIhvp hessian = ReferenceIhvp.compute(problem, ReferenceIhvp.Curvature.HESSIAN, delta, 5000, 1);
        ReferenceIhvp ggn = ReferenceIhvp.compute(problem, ReferenceIhvp.Curvature.GGN, delta, 5000, 1);
        assertTrue(hessian.q().cosine(ggn.q()) < 0.999, "the Hessian and GGN solves differ at this damping");
    }
}
