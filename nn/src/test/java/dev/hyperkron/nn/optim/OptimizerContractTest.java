package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link Optimizer} promises, run against each optimizer and configuration. */
class OptimizerContractTest {

    static Stream<Named<Supplier<Optimizer>>> optimizers() {
        return Stream.of(
                named("plain SGD", () -> new Sgd(SgdSettings.builder().learningRate(0.1).build())),
                named("SGD with Nesterov momentum and weight decay", () -> new Sgd(SgdSettings.builder()
                        .learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(1e-2).build())),
                named("SGD with dampened momentum", () -> new Sgd(SgdSettings.builder()
                        .learningRate(0.05).momentum(0.5).dampening(0.3).build())),
                named("Adam", () -> new Adam(AdamSettings.adam().learningRate(0.01).build())),
                named("Adam with amsgrad and L2 weight decay", () -> new Adam(AdamSettings.adam()
                        .learningRate(0.01).amsgrad(true).weightDecay(0.1).build())),
                named("AdamW", () -> new Adam(AdamSettings.adamW().learningRate(0.01).build())));
    }

    private static Named<Supplier<Optimizer>> named(String name, Supplier<Optimizer> factory) {
        return Named.of(name, factory);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void leavesParamsAndGradsUntouched(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        Rng rng = new Rng(1);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        for (int t = 0; t < 3; t++) {
            Params grads = OptimFixtures.randomLike(rng, params);
            List<Tensor> paramsBefore = OptimFixtures.snapshot(params);
            List<Tensor> gradsBefore = OptimFixtures.snapshot(grads);
            Params next = opt.step(params, grads);
            assertEquals(paramsBefore, params.values());
            assertEquals(gradsBefore, grads.values());
            params = next;
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void returnsFreshLeavesWithNewTensorsInTheParametersOrder(Supplier<Optimizer> factory) {
        Rng rng = new Rng(2);
        Params params = OptimFixtures.randomParams(rng, DType.F32);
        Params next = factory.get().step(params, OptimFixtures.randomLike(rng, params));
        assertEquals(params.names(), next.names());
        for (String name : params.names()) {
            Var v = next.get(name);
            assertTrue(v.requiresGrad() && !v.hasNode(), name + " is not a fresh leaf");
            assertNotSame(params.get(name).value(), v.value(), name);
            assertEquals(params.get(name).dtype(), v.dtype(), name);
            assertNotEquals(params.get(name).value(), v.value(), name + " did not move");
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void restoredStateContinuesBitForBit(Supplier<Optimizer> factory) {
        Rng rng = new Rng(3);
        Params params = OptimFixtures.randomParams(rng, DType.F32);
        List<Params> grads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            grads.add(OptimFixtures.randomLike(rng, params));
        }
        Optimizer original = factory.get();
        for (int t = 0; t < 4; t++) {
            original.setLearningRate(0.01 * (t + 1));
            params = original.step(params, grads.get(t));
        }
        OptimizerState saved = original.state();
        Optimizer resumed = factory.get();
        resumed.setLearningRate(123); // the restored learning rate must win
        resumed.restore(throughStringScalars(saved));
        assertEquals(original.learningRate(), resumed.learningRate());
        Params a = params;
        Params b = params;
        for (int t = 4; t < 8; t++) {
            a = original.step(a, grads.get(t));
            b = resumed.step(b, grads.get(t));
            assertEquals(a.values(), b.values(), "step " + t);
        }
        assertEquals(original.state(), resumed.state());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aSnapshotIsUnaffectedByLaterStepsAndRestoresCanRepeat(Supplier<Optimizer> factory) {
        Rng rng = new Rng(4);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        Optimizer opt = factory.get();
        params = opt.step(params, OptimFixtures.randomLike(rng, params));
        OptimizerState saved = opt.state();
        OptimizerState twin = opt.state();
        Params grads = OptimFixtures.randomLike(rng, params);
        Params first = opt.step(params, grads);
        assertEquals(twin, saved);
        opt.restore(saved);
        Params second = opt.step(params, grads);
        opt.restore(saved);
        Params third = opt.step(params, grads);
        assertEquals(first.values(), second.values());
        assertEquals(first.values(), third.values());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void restoringAFreshStateForgetsTheHistory(Supplier<Optimizer> factory) {
        Rng rng = new Rng(5);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        Params grads = OptimFixtures.randomLike(rng, params);
        Optimizer fresh = factory.get();
        OptimizerState initial = fresh.state();
        Params expected = fresh.step(params, grads);
        Optimizer used = factory.get();
        used.step(params, OptimFixtures.randomLike(rng, params));
        used.restore(initial);
        assertEquals(expected.values(), used.step(params, grads).values());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aZeroLearningRateLeavesTheParametersWhereTheyAre(Supplier<Optimizer> factory) {
        Rng rng = new Rng(6);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        Optimizer opt = factory.get();
        opt.setLearningRate(0);
        assertEquals(0.0, opt.learningRate());
        assertEquals(params.values(), opt.step(params, OptimFixtures.randomLike(rng, params)).values());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void rejectsAnInvalidLearningRateAndKeepsTheOldOne(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        double before = opt.learningRate();
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(bad));
            assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        assertEquals(before, opt.learningRate());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void mismatchedGradientsAreRejectedByName(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        Rng rng = new Rng(7);
        Params params = OptimFixtures.randomParams(rng, DType.F32);
        Params grads = OptimFixtures.randomLike(rng, params);
        opt.step(params, grads);
        OptimizerState before = opt.state();

        Map<String, Var> missing = entries(grads);
        missing.remove("fc1.bias");
        assertMessage(opt, params, Params.of(missing), "no gradient for parameter 'fc1.bias'");

        Map<String, Var> extra = entries(grads);
        extra.put("fc3.weight", Var.constant(Tensor.zeros(DType.F32, 2)));
        assertMessage(opt, params, Params.of(extra), "'fc3.weight' match no parameter");

        Map<String, Var> wrongShape = entries(grads);
        wrongShape.put("fc2.weight", Var.constant(Tensor.zeros(DType.F32, 3, 2)));
        assertMessage(opt, params, Params.of(wrongShape), "gradient of 'fc2.weight' has shape [3, 2]");

        Map<String, Var> wrongDtype = entries(grads);
        wrongDtype.put("scale", Var.constant(Tensor.scalar(DType.F64, 1)));
        assertMessage(opt, params, Params.of(wrongDtype), "gradient of 'scale' is F64 but the parameter is F32");

        assertMessage(opt, params, null, "grads is null");
        assertEquals(before, opt.state(), "a rejected step must not change the state");
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aParameterThatChangedShapeAgainstItsStateIsRejectedWithoutChangingTheState(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        Rng rng = new Rng(8);
        Params params = OptimFixtures.randomParams(rng, DType.F32);
        opt.step(params, OptimFixtures.randomLike(rng, params));
        OptimizerState before = opt.state();
        assumeFalse(before.tensors().isEmpty(), "plain SGD keeps no per-parameter state to disagree with");
        Map<String, Var> reshaped = entries(params);
        reshaped.put("fc1.weight", Var.leaf(Tensor.zeros(DType.F32, 4, 3)));
        Params changed = Params.of(reshaped);
        assertMessage(opt, changed, OptimFixtures.randomLike(rng, changed), "'fc1.weight'");
        assertEquals(before, opt.state());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void refusesTheStateOfAnotherKindOfOptimizer(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        OptimizerState foreign = new OptimizerState("rmsprop", Map.of(), Map.of("lr", 0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.restore(foreign));
        assertTrue(e.getMessage().contains("cannot restore a 'rmsprop' state"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void refusesAStateWithAnUnexpectedTensor(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        OptimizerState saved = opt.state();
        Map<String, Tensor> tensors = new LinkedHashMap<>(saved.tensors());
        tensors.put("velocity.fc1.weight", Tensor.zeros(DType.F32, 3, 4));
        OptimizerState tampered = new OptimizerState(saved.kind(), tensors, saved.scalars());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.restore(tampered));
        assertTrue(e.getMessage().contains("unexpected tensor 'velocity.fc1.weight'"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void refusesAStateWithoutItsHyperparameters(Supplier<Optimizer> factory) {
        Optimizer opt = factory.get();
        OptimizerState saved = opt.state();
        Map<String, Double> scalars = new LinkedHashMap<>(saved.scalars());
        scalars.remove("lr");
        OptimizerState truncated = new OptimizerState(saved.kind(), saved.tensors(), scalars);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.restore(truncated));
        assertTrue(e.getMessage().contains("no scalar 'lr'"), e.getMessage());
    }

    // What a checkpoint writer does: tensors as they are, scalars through their decimal text.
    private static OptimizerState throughStringScalars(OptimizerState state) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        state.scalars().forEach((name, value) -> scalars.put(name, Double.parseDouble(Double.toString(value))));
        return new OptimizerState(state.kind(), state.tensors(), scalars);
    }

    private static Map<String, Var> entries(Params params) {
        Map<String, Var> map = new LinkedHashMap<>();
        for (String name : params.names()) {
            map.put(name, params.get(name));
        }
        return map;
    }

    private static void assertMessage(Optimizer opt, Params params, Params grads, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.step(params, grads));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
