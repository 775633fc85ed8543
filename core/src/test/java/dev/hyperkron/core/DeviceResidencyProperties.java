package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.device.SimulatedDevice;
import dev.hyperkron.core.kernels.ConvGeometry;
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

    /**
     * A batch costs a device the calls of one: im2col, col2im and evenly spaced matrix products
     * (attention's [N, heads, T, d] x [N, heads, d, T]) take as many device calls for one image
     * or product as for many, with the host's values.
     */
    @Example
    void batchesOfImagesAndOfProductsTakeTheDeviceCallsOfOne() {
        Rng rng = new Rng(3);
        ConvGeometry g = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        long[] calls = new long[2];
        int[] batches = {1, 6};
        for (int i = 0; i < 2; i++) {
            Tensor x = Tensor.randn(rng, DType.F32, batches[i], 2, 5, 5);
            Tensor onDevice = x.to(DEVICE);
            long before = DEVICE.calls();
            Tensor cols = onDevice.unfold(g);
            Tensor back = cols.fold(5, 5, g);
            calls[i] = DEVICE.calls() - before;
            assertEquals(x.unfold(g), cols.to(Device.host()));
            assertEquals(x.unfold(g).fold(5, 5, g), back.to(Device.host()));
        }
        assertEquals(calls[0], calls[1], "device calls of unfold and fold for 1 and for 6 images");
        for (int i = 0; i < 2; i++) {
            Tensor q = Tensor.randn(rng, DType.F32, batches[i], 3, 4, 5);
            Tensor k = Tensor.randn(rng, DType.F32, batches[i], 3, 6, 5);
            Tensor qd = q.to(DEVICE);
            Tensor kd = k.to(DEVICE);
            long before = DEVICE.calls();
            Tensor scores = qd.matmul(kd, false, true);
            calls[i] = DEVICE.calls() - before;
            assertEquals(q.matmul(k, false, true), scores.to(Device.host()));
        }
        assertEquals(calls[0], calls[1], "device calls of 3 and of 18 products");
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
