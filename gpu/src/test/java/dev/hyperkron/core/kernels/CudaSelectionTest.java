package dev.hyperkron.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.gpu.RequiresCuda;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;

/** {@code hyperkron.kernels=cuda} with the gpu module on the class path: the CUDA kernels, or the CPU with one line saying why. */
class CudaSelectionTest {

    @Example
    void cudaIsFoundThroughTheServiceLoaderAndUsedOrReportedInOneLine() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Kernels chosen;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            chosen = KernelSelection.select("cuda");
        } finally {
            System.setErr(original);
        }
        String message = captured.toString(StandardCharsets.UTF_8);
        String reason = RequiresCuda.unavailableReason();
        if (reason == null) {
            assertEquals("cuda", chosen.name());
            assertEquals("", message);
        } else {
            assertEquals(Kernels.vectorAvailable() ? "vector" : "scalar", chosen.name());
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("hyperkron: hyperkron.kernels=cuda unavailable ("), message);
            System.out.println("fallback line: " + message.strip());
        }
    }
}
