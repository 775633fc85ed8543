package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.OneStepUnrolling;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.bilevel.train.BilevelTrainer;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.Checkpoint;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.OptimizerSpec;
import dev.hyperkron.bilevel.train.TrainerConfig;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.optim.AdamSettings;
import dev.hyperkron.bilevel.train.ResumeMismatchException;
import dev.hyperkron.core.io.Safetensors;
import dev.hyperkron.core.io.TensorFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import dev.hyperkron.bilevel.methods.F2sa;
import dev.hyperkron.bilevel.methods.TrackedLinearSystem;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint and resume repeat an uninterrupted run; divergence stops the run and keeps the last checkpoint. */
class TrainerCheckpointTest {

    private static TrainerConfig.Builder config(HypergradientMethod method, int steps) {
        return TrainerConfig.builder(method).innerSteps(3).innerOptimizer(OptimizerSpec.sgd(0.1, 0.9))
                .outerOptimizer(OptimizerSpec.adam(AdamSettings.adam().learningRate(0.05).build()))
                .budget(Budget.steps(steps)).seed(4).evaluateEvery(2);
    }

    private static List<HistoryEntry> withoutTimes(List<HistoryEntry> history) {
        return history.stream().map(HistoryEntry::withoutTimes).toList();
    }

    @Test
    void aResumedRunRepeatsTheUninterruptedRun(@TempDir Path dir) {
        HypergradientMethod method = new ImplicitDifferentiation(
                IhvpMethods.kfac().fisher(FisherType.MC));
        TrainingResult whole = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 6).build()).run();

        Path checkpoints = dir.resolve("run");
        TrainingResult first = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(method, 4).checkpoint(checkpoints, 2).build()).run();
        assertEquals(4, first.history().size());
        assertTrue(Files.exists(checkpoints.resolve(Checkpoint.FILE)));
        TrainingResult resumed = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(method, 6).checkpoint(checkpoints, 2).resume(true).build()).run();

        assertEquals(withoutTimes(whole.history()), withoutTimes(resumed.history()));
        assertEquals(whole.lambda().flatten(), resumed.lambda().flatten());
        assertEquals(whole.theta().flatten(), resumed.theta().flatten());
    }

    /** Methods that carry state between outer steps (a tracked v, a second inner sequence) resume with it. */
    @Test
    void aResumedRunOfAStatefulMethodRepeatsTheUninterruptedRun(@TempDir Path dir) {
        for (java.util.function.Supplier<HypergradientMethod> method : List.<java.util.function.Supplier<HypergradientMethod>>of(
                () -> TrackedLinearSystem.amigo(2, 0.5), () -> new F2sa(5, 1, 20))) {
            TrainingResult whole = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method.get(), 4).build()).run();
            Path checkpoints = dir.resolve(method.get().name());
            new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                    config(method.get(), 2).checkpoint(checkpoints, 1).build()).run();
            TrainingResult resumed = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                    config(method.get(), 4).checkpoint(checkpoints, 1).resume(true).build()).run();
            assertEquals(withoutTimes(whole.history()), withoutTimes(resumed.history()));
            assertEquals(whole.lambda().flatten(), resumed.lambda().flatten());
        }
    }


    /** A stateful method reused for a second fresh run (after a warm-up, say) starts it afresh. */
    @Test
    void aFreshRunDoesNotInheritTheStateOfAnEarlierRunOfTheSameMethod() {
        for (HypergradientMethod method : List.of(TrackedLinearSystem.soba(0.5), new F2sa(5, 1, 20))) {
            TrainingResult first = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 3).build()).run();
            TrainingResult again = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 3).build()).run();
            assertEquals(withoutTimes(first.history()), withoutTimes(again.history()), method.name());
        }
    }
    /** A barely damped KFAC inverse says so in its solve reports, and the run's result carries it once. */
    @Test
    void aBarelyDampedKfacIsAWarningOfTheRun() {
        TrainingResult barely = new BilevelTrainer(DigitsHypercleaningTest.problem(3, 0),
                config(new ImplicitDifferentiation(IhvpMethods.kfac().damping(1e-12)), 2).build()).run();
        assertEquals(1, barely.warnings().size(), barely.warnings().toString());
        assertTrue(barely.warnings().get(0).contains("AID-KFAC: KFAC inverse is barely damped (damping 1.0E-12"),
                barely.warnings().get(0));
        TrainingResult damped = new BilevelTrainer(DigitsHypercleaningTest.problem(3, 0),
                config(new ImplicitDifferentiation(IhvpMethods.kfac().damping(1e-3)), 2).build()).run();
        assertEquals(List.of(), damped.warnings());
    }

    @Test
    void resumingWithAnotherMethodIsRefused(@TempDir Path dir) {
        new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(OneStepUnrolling.secondOrder(), 1).checkpoint(dir, 1).build()).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BilevelTrainer(
                DigitsHypercleaningTest.problem(3), config(OneStepUnrolling.firstOrder(), 2).checkpoint(dir, 1)
                .resume(true).build()).run());
        assertTrue(e.getMessage().contains("one-step"), e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        HypergradientMethod failsAtStepThree = new HypergradientMethod() {
            private final HypergradientMethod inner = OneStepUnrolling.secondOrder();
            private int calls;

            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public OuterStep run(BilevelProblem problem, Params theta, Params lambda,
                                 dev.hyperkron.bilevel.methods.InnerLoop loop, Rng rng) {
                OuterStep s = inner.run(problem, theta, lambda, loop, rng);
                return ++calls < 3 ? s : new OuterStep(s.theta(), s.hypergradient(), Double.NaN, s.outerLoss(),
                        s.innerSeconds(), s.hypergradientSeconds(), 0, Optional.empty());
            }
        };
        TrainingResult result = new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(failsAtStepThree, 10).checkpoint(dir, 1).build()).run();
        assertEquals(TrainingResult.Status.DIVERGED, result.status());
        assertEquals(2, result.history().size());
        assertTrue(result.message().contains("outer step 3") && result.message().contains("inner loss is NaN")
                && result.message().contains("step 2"), result.message());
        assertEquals(2, Checkpoint.load(dir).step());
    }

    @Test
    void anInnerPhaseThatDivergesStopsTheRunBeforeTheHypergradientMeetsNaN() {
        HypergradientMethod method = new ImplicitDifferentiation(
                IhvpMethods.kfac().fisher(FisherType.MC));
        TrainerConfig config = config(method, 5).innerOptimizer(OptimizerSpec.sgd(1e6, 0.9)).build();

        TrainingResult result = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config).run();

        assertEquals(TrainingResult.Status.DIVERGED, result.status());
        String failedStep = "outer step " + (result.history().size() + 1);
        assertTrue(result.message().contains(failedStep + " with AID-KFAC-MC: the inner loss is")
                && result.message().contains("at inner step") && result.message().contains("no checkpoint was written"),
                result.message());
    }

    @Test
    void resumingWithOtherSettingsIsRefusedListingEveryDifference(@TempDir Path dir) {
        HypergradientMethod method = OneStepUnrolling.secondOrder();
        new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 1).checkpoint(dir, 1)
                .settings(Map.of("data", "digits", "noise", "0.45")).build()).run();
        ResumeMismatchException e = assertThrows(ResumeMismatchException.class, () -> new BilevelTrainer(
                DigitsHypercleaningTest.problem(3), config(method, 2).seed(5).checkpoint(dir, 1).resume(true)
                .settings(Map.of("noise", "0.3")).build()).run());
        assertEquals(List.of("data digits (now (not set))", "noise 0.45 (now 0.3)", "trainer.seed 4 (now 5)"),
                e.differences());
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("the budget and the evaluation and checkpoint intervals may change"),
                e.getMessage());
        TrainingResult longer = new BilevelTrainer(DigitsHypercleaningTest.problem(3), config(method, 2).checkpoint(dir, 1)
                .resume(true).settings(Map.of("data", "digits", "noise", "0.45")).build()).run();
        assertEquals(2, longer.history().size(), "a longer budget is a valid resume");
    }

    @Test
    void aCheckpointWithOneFlippedBitIsRefusedAsDamaged(@TempDir Path dir) throws Exception {
        new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(OneStepUnrolling.secondOrder(), 1).checkpoint(dir, 1).build()).run();
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] good = Files.readAllBytes(file);
        String text = new String(good, StandardCharsets.ISO_8859_1);
        int stepCounter = text.indexOf("\\\"step\\\":1") + "\\\"step\\\":".length();
        assertTrue(stepCounter > 20, "the step counter is in the header");
        for (int position : new int[] {good.length - 3, stepCounter}) {
            byte[] bad = good.clone();
            bad[position] ^= 2;
            Files.write(file, bad);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir), "bit flipped at " + position);
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void aMissingOrMistypedEntryIsNamed(@TempDir Path dir) throws Exception {
        new BilevelTrainer(DigitsHypercleaningTest.problem(3),
                config(OneStepUnrolling.secondOrder(), 1).checkpoint(dir, 1).build()).run();
        Path file = dir.resolve(Checkpoint.FILE);
        TensorFile contents = Safetensors.read(file);
        String json = contents.metadata().get("hyperkron.checkpoint");
        String[][] edits = {
            {"\"step\":1,", "", "no entry 'step'"},
            {"\"samplers\":[", "\"samplers\":\"x\",\"was\":[", "'samplers' should be a list, found a string"},
            {"\"kind\":", "\"kind\":3,\"was\":", "'inner.kind' should be a string, found the number 3"},
        };
        for (String[] edit : edits) {
            assertTrue(json.contains(edit[0]), edit[0]);
            Map<String, String> metadata = new java.util.HashMap<>(contents.metadata());
            metadata.put("hyperkron.checkpoint", json.replaceFirst(java.util.regex.Pattern.quote(edit[0]), edit[1]));
            Safetensors.write(file, new TensorFile(contents.tensors(), metadata));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir), edit[0]);
            assertTrue(e.getMessage().contains(edit[2]) && e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void aCheckpointIsNeverWrittenThroughASymbolicLink(@TempDir Path dir) throws Exception {
        Path outside = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path checkpoints = Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(checkpoints.resolve(Checkpoint.FILE + ".tmp"), outside);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new BilevelTrainer(
                DigitsHypercleaningTest.problem(3), config(OneStepUnrolling.secondOrder(), 1).checkpoint(checkpoints, 1)
                .build()).run());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("keep me", Files.readString(outside));
    }
}
