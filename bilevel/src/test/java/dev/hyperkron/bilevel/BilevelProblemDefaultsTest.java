package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BilevelProblemDefaultsTest {

    @Test
    void aFullBatchProblemSavesNoSamplerStateAndRefusesAForeignOne() {
        BilevelProblem problem = new QuadraticProblem(1, 3, 2);
        assertTrue(problem.samplerState().isEmpty());
        assertDoesNotThrow(() -> problem.restoreSamplerState(List.of()));
        String message = assertThrows(IllegalArgumentException.class,
                () -> problem.restoreSamplerState(List.of(new long[] {1, 2}))).getMessage();
        assertTrue(message.contains("QuadraticProblem has no batch samplers") && message.contains("1 sampler states"),
                message);
    }
}
