package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An OptimizerState is an independent, ordered snapshot with lookups that explain what is missing. */
class OptimizerStateTest {

    @Test
    void holdsCopiesSoLaterChangesToTheSourceTensorsDoNotLeakIn() {
        Tensor buffer = Tensor.of(new double[] {1, 2}, 2);
        OptimizerState state = new OptimizerState("sgd", Map.of("momentum.w", buffer), Map.of());
        buffer.fillInPlace(7);
        assertEquals(Tensor.of(new double[] {1, 2}, 2), state.tensor("momentum.w"));
    }

    @Test
    void keepsTheOrderOfItsEntries() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : List.of("z", "a", "m")) {
            tensors.put(name, Tensor.zeros(DType.F32, 1));
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("lr", 0.1);
        scalars.put("beta1", 0.9);
        OptimizerState state = new OptimizerState("adam", tensors, scalars);
        assertEquals(List.of("z", "a", "m"), List.copyOf(state.tensors().keySet()));
        assertEquals(List.of("lr", "beta1"), List.copyOf(state.scalars().keySet()));
    }

    @Test
    void lookupsOfMissingEntriesListWhatExists() {
        OptimizerState state = new OptimizerState("sgd", Map.of("momentum.w", Tensor.zeros(DType.F64, 1)),
                Map.of("lr", 0.1));
        assertMessage(() -> state.tensor("momentum.b"), "sgd state has no tensor 'momentum.b'; it has [momentum.w]");
        assertMessage(() -> state.scalar("momentum"), "sgd state has no scalar 'momentum'; it has [lr]");
    }

    @Test
    void flagsAreZeroOrOne() {
        OptimizerState state = new OptimizerState("adam", Map.of(), Map.of("amsgrad", 1.0, "broken", 0.5));
        assertTrue(state.flag("amsgrad"));
        assertMessage(() -> state.flag("broken"), "scalar 'broken' is a flag (0 or 1), got 0.5");
    }

    @Test
    void rejectsMissingKindsAndNullEntries() {
        assertMessage(() -> new OptimizerState("", Map.of(), Map.of()), "the kind must be a non-empty string");
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("momentum.w", null);
        assertMessage(() -> new OptimizerState("sgd", withNull, Map.of()), "sgd state: tensor 'momentum.w' is null");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
