package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;

/** How {@code hyperkron.kernels} names are resolved, including provided sets absent from core's class path. */
class KernelSelectionTest {

    @Example
    void anUnknownNameIsRejectedWithEveryKnownKernelSetListed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSelection.select("tpu"));
        assertTrue(e.getMessage().contains("'vector'") && e.getMessage().contains("'scalar'")
                && e.getMessage().contains("'cuda'"), e.getMessage());
    }

    @Example
    void cudaWithoutItsModuleFallsBackToTheCpuWithOneLine() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Kernels chosen;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            chosen = KernelSelection.select("CUDA");
        } finally {
            System.setErr(original);
        }
        String message = captured.toString(StandardCharsets.UTF_8);
        assertEquals(Kernels.vectorAvailable() ? "vector" : "scalar", chosen.name());
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("cuda") && message.contains("not on the class path"), message);
    }
}
