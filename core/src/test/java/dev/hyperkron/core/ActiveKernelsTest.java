package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.kernels.Kernels;
import net.jqwik.api.Example;

/**
 * The op properties run once per kernel set (core/pom.xml runs them a second time with
 * -Dhyperkron.kernels=scalar); this pins down that each run really exercised the set it claims.
 */
class ActiveKernelsTest {
    /** Set by the surefire execution; outside Maven, the selection rule of the Kernels SPI. */
    private static final String EXPECTED = System.getProperty("hyperkron.test.expectedKernels",
            System.getProperty("hyperkron.kernels", Kernels.vectorAvailable() ? "vector" : "scalar"));

    @Example
    void theActiveKernelSetIsTheOneThisTestRunAskedFor() {
        assertEquals(EXPECTED, Kernels.active().name());
        if (EXPECTED.equals("vector")) {
            assertTrue(Kernels.vectorAvailable());
        } else {
            assertEquals(Kernels.scalar().name(), Kernels.active().name());
        }
    }
}
