package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** AID with amortized curvature builds its IHVP solver every R outer steps and reuses it in between. */
class AmortizedCurvatureTest {

    /** KFAC that records the outer steps (0-based, counted by a listener) at which it was built. */
    private static final class CountingKfac implements IhvpMethod {
        final List<Integer> builds = new ArrayList<>();
        int step;

        @Override
        public String name() {
            return "KFAC";
        }

        @Override
        public IhvpSolver build(Params theta, Params lambda, InnerObjective curvature, Rng rng) {
            builds.add(step);
            return IhvpMethods.kfac().build(theta, lambda, curvature, rng);
        }
    }

    private static TrainingResult run(ImplicitDifferentiation method, int steps) {
        return run(method, steps, new CountingKfac());
    }

    private static TrainingResult run(ImplicitDifferentiation method, int steps, CountingKfac counter) {
        TrainerConfig config = TrainerConfig.builder(method).innerSteps(3).innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.sgd(300, 0.9)).budget(Budget.steps(steps)).seed(2).evaluateEvery(0)
                .listener((entry, theta, lambda) -> counter.step = entry.step()).build();
        return new BilevelTrainer(DigitsHypercleaningTest.problem(3), config).run();
    }

    @Property(tries = 6)
    void theSolverIsBuiltAtTheFirstStepAndThenEveryRSteps(@ForAll @IntRange(min = 1, max = 4) int r,
                                                          @ForAll @IntRange(min = 1, max = 9) int steps) {
        CountingKfac kfac = new CountingKfac();
        ImplicitDifferentiation method = new ImplicitDifferentiation(kfac).refreshingEvery(r);
        run(method, steps, kfac);
        List<Integer> expected = new ArrayList<>();
        for (int s = 0; s < steps; s += r) {
            expected.add(s);
        }
        assertEquals(expected, kfac.builds);
        // a second fresh run with the same method starts with a build of its own
        kfac.builds.clear();
        kfac.step = 0;
        run(method, 1, kfac);
        assertEquals(List.of(0), kfac.builds);
    }

    @Test
    void refreshingEveryStepIsThePlainMethodAndLaterRefreshesChangeTheRun() {
        List<HistoryEntry> plain = run(new ImplicitDifferentiation(IhvpMethods.kfac()), 4).history();
        List<HistoryEntry> everyStep = run(new ImplicitDifferentiation(IhvpMethods.kfac()).refreshingEvery(1), 4).history();
        List<HistoryEntry> everyThird = run(new ImplicitDifferentiation(IhvpMethods.kfac()).refreshingEvery(3), 4).history();
        assertEquals(plain.stream().map(HistoryEntry::withoutTimes).toList(),
                everyStep.stream().map(HistoryEntry::withoutTimes).toList());
        assertEquals(plain.get(0).withoutTimes(), everyThird.get(0).withoutTimes());
        assertNotEquals(plain.get(1).hypergradientNorm(), everyThird.get(1).hypergradientNorm());
        assertEquals("AID-KFAC/3", new ImplicitDifferentiation(IhvpMethods.kfac()).refreshingEvery(3).name());
        assertThrows(IllegalArgumentException.class, () -> new ImplicitDifferentiation(IhvpMethods.kfac()).refreshingEvery(0));
    }
}
