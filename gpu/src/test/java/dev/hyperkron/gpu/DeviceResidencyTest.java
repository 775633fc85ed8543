package dev.hyperkron.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A chain of kernel calls on {@link DeviceArray}s (one MLP layer: GEMM, bias add, ReLU, row sums)
 * computes what the CPU kernels compute on arrays, with data copied only at the two ends.
 */
@AddLifecycleHook(RequiresCuda.class)
class DeviceResidencyTest {

    @Example
    void aLayerChainOnTheDeviceMatchesTheCpuKernels() {
        int batch = 128, in = 784, out = 256;
        Random rnd = new Random(7);
        float[] x = randomFloats(rnd, batch * in);
        float[] w = randomFloats(rnd, out * in);
        float[] bias = randomFloats(rnd, out);

        TypedKernels<float[]> cpu = Kernels.scalar().f32();
        float[] h = new float[batch * out];
        cpu.gemm(false, true, batch, out, in, 1.0, x, 0, in, w, 0, in, 0.0, h, 0, out);
        for (int r = 0; r < batch; r++) {
            cpu.binary(BinaryOp.ADD, h, r * out, 1, bias, 0, 1, h, r * out, out);
        }
        cpu.unary(UnaryOp.RELU, h, 0, h, 0, batch * out);
        float[] expected = new float[batch];
        cpu.reduce(ReduceOp.SUM, h, 0, batch, out, 1, expected, 0);

        CudaDevice device = CudaDevice.get();
        DeviceKernels gpu = new CudaKernels(device).device(DType.F32);
        try (DeviceArray dx = DeviceArray.upload(device, x); DeviceArray dw = DeviceArray.upload(device, w);
             DeviceArray db = DeviceArray.upload(device, bias);
             DeviceArray dh = DeviceArray.allocate(device, DType.F32, batch * out);
             DeviceArray sums = DeviceArray.allocate(device, DType.F32, batch)) {
            gpu.gemm(false, true, batch, out, in, 1.0, dx, 0, in, dw, 0, in, 0.0, dh, 0, out);
            for (int r = 0; r < batch; r++) {
                gpu.binary(BinaryOp.ADD, dh, r * out, 1, db, 0, 1, dh, r * out, out);
            }
            gpu.unary(UnaryOp.RELU, dh, 0, dh, 0, batch * out);
            gpu.reduce(ReduceOp.SUM, dh, 0, batch, out, 1, sums, 0);
            float[] got = sums.downloadF32();
            assertEquals(batch, got.length);
            for (int r = 0; r < batch; r++) {
                double tolerance = 1e-4 * Math.max(1, Math.abs(expected[r]));
                int row = r;
                assertTrue(Math.abs(got[r] - expected[r]) <= tolerance, () -> "row " + row + ": " + got[row] + " vs " + expected[row]);
            }
        }
    }

    @Example
    void aDeviceArrayRoundTripsItsValuesExactly() {
        CudaDevice device = CudaDevice.get();
        double[] values = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, -1e300, 3.5};
        try (DeviceArray a = DeviceArray.upload(device, values)) {
            double[] back = a.downloadF64();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
            }
        }
    }

    private static float[] randomFloats(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * 0.1f;
        }
        return v;
    }
}
