package dev.hyperkron.bilevel.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleSamplersTest {
    /** n examples whose single feature is offset + position, so a batch shows which set it came from. */
    private static Dataset numbered(int n, double offset) {
        return Dataset.of(Tensor.arange(DType.F64, n).add(offset).reshape(n, 1), Tensor.zeros(DType.I64, n), 1);
    }

    private static final Dataset TRAIN = numbered(20, 0);
    private static final Dataset VALIDATION = numbered(6, 1000);

    @Test
    void outerBatchesComeFromTheValidationSetAndTheOthersFromTraining() {
        RoleSamplers samplers = new RoleSamplers(TRAIN, 4, VALIDATION, 100, new Rng(1));
        for (Role role : Role.values()) {
            Tensor features = samplers.next(role).features();
            boolean outer = role == Role.OUTER;
            assertEquals(outer ? 6 : 4, features.dim(0), role + ": batch size capped at the set size");
            for (double x : features.toDoubleArray()) {
                assertTrue(outer == (x >= 1000), role + " drew " + x);
            }
        }
    }

    @Test
    void anEmptySetIsNamedNotReportedAsABatchSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RoleSamplers(numbered(0, 0), 4, VALIDATION, 4, new Rng(1)));
        assertTrue(e.getMessage().contains("inner (training) set is empty"), e.getMessage());
        IllegalArgumentException outer = assertThrows(IllegalArgumentException.class,
                () -> new RoleSamplers(TRAIN, 4, numbered(0, 0), 4, new Rng(1)));
        assertTrue(outer.getMessage().contains("outer (validation) set is empty"), outer.getMessage());
    }

    @Test
    void restoringTheStateReplaysTheSameBatches() {
        RoleSamplers samplers = new RoleSamplers(TRAIN, 3, VALIDATION, 2, new Rng(7));
        samplers.next(Role.INNER);
        List<long[]> saved = samplers.state();
        List<Tensor> first = draws(samplers);
        samplers.restore(saved);
        assertEquals(first, draws(samplers));
        RoleSamplers fresh = new RoleSamplers(TRAIN, 3, VALIDATION, 2, new Rng(99));
        fresh.restore(saved);
        assertEquals(first, draws(fresh), "a new instance resumes from the saved state");
    }

    private static List<Tensor> draws(RoleSamplers samplers) {
        List<Tensor> out = new ArrayList<>();
        for (int step = 0; step < 9; step++) {
            for (Role role : Role.values()) {
                out.add(samplers.next(role).indices());
            }
        }
        return out;
    }

    @Test
    void aStateOfTheWrongLengthIsRefused() {
        RoleSamplers samplers = new RoleSamplers(TRAIN, 3, VALIDATION, 2, new Rng(7));
        String message = assertThrows(IllegalArgumentException.class, () -> samplers.restore(List.of())).getMessage();
        assertTrue(message.contains("expected " + Role.values().length + " sampler states, got 0"), message);
    }
}
