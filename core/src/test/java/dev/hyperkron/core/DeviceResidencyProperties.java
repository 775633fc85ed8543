package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.device.SimulatedDevice;
import java.util.OptionalLong;
import net.jqwik.api.Example;

/**
 * The device contract on {@link SimulatedDevice}, whose buffers are not Java arrays: an op that
 * reached into a tensor's array would fail here as it would on a GPU, and every copy between the
 * host and the device is counted.
 */
class DeviceResidencyProperties extends DeviceContract {
    private static final SimulatedDevice DEVICE = new SimulatedDevice("sim:0");

    @Override
    protected Device device() {
        return DEVICE;
    }

    @Override
    protected OptionalLong downloads() {
        return OptionalLong.of(DEVICE.downloads());
    }

    @Example
    void aHostScalarJoinsADeviceOpWithoutACopyFromTheHost() {
        Tensor d = Tensor.of(new double[] {1, 2, 3}).to(DEVICE);
        long uploads = DEVICE.uploads();
        Tensor r = d.add(1.5).mul(2).sub(Tensor.scalar(DType.F64, 1));
        assertEquals(uploads, DEVICE.uploads());
        assertEquals(Tensor.of(new double[] {4, 6, 8}), r.to(Device.host()));
    }
}
