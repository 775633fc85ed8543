package dev.hyperkron.bench.device;

import dev.hyperkron.core.Device;
import dev.hyperkron.core.DeviceProvider;
import dev.hyperkron.core.device.SimulatedDevice;

/** Registers core's simulated device as "sim" (tests only), so that commands run with --device sim. */
public final class SimulatedDeviceProvider implements DeviceProvider {
    /** The one simulated device of the test JVM: devices are told apart by identity. */
    static final SimulatedDevice DEVICE = new SimulatedDevice("sim:0");

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Device open(String spec) {
        return DEVICE;
    }
}
