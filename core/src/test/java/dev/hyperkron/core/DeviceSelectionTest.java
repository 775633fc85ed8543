package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Devices by name: the host under its two names, clear errors for the rest (no provider on core's class path). */
class DeviceSelectionTest {

    @Test
    void theHostGoesByCpuAndHost() {
        assertSame(Device.host(), Device.named("cpu"));
        assertSame(Device.host(), Device.named(" Host "));
    }

    @Test
    void aKnownDeviceWhoseModuleIsAbsentSaysWhichModuleToAdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.named("cuda:0"));
        assertEquals("device 'cuda:0' is unavailable: its module (hyperkron-gpu, built on JDK 22 or newer) is not on "
                + "the class path", e.getMessage());
    }

    @Test
    void anUnknownNameListsTheDevicesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.named("tpu"));
        assertEquals("'tpu' is not a device: use one of 'cpu', 'cuda'", e.getMessage());
    }
}
