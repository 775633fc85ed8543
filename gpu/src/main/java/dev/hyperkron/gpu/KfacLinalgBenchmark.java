package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.linalg.Cholesky;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.core.linalg.SymmetricEigen;
import java.util.Arrays;
import java.util.Random;

/**
 * The KFAC linear algebra of the 784-256-10 MLP (factor A of the first layer: 785 x 785 from a
 * batch of 128; G: 256 x 256) on the GPU (cuBLAS factor GEMM, cuSOLVER Cholesky, SPD inverse,
 * syevd; device-resident, synchronised per call) against core's CPU linear algebra. Prints
 * {@code kfac <variant> <n> <ms>}. For bench/scripts/gpu-check.sh.
 */
public final class KfacLinalgBenchmark {
    private KfacLinalgBenchmark() {
    }

    public static void main(String[] args) {
        CudaDevice device = CudaDevice.get();
        CudaLinalg linalg = new CudaLinalg(device);
        DeviceKernels f64 = new CudaKernels(device).device(DType.F64);
        for (int n : new int[] {256, 785}) {
            int batch = 128;
            double[] x = new double[batch * n];
            Random rnd = new Random(n);
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextGaussian();
            }
            double[] factor = new double[n * n];
            Kernels.active().f64().gemm(true, false, n, n, batch, 1.0 / batch, x, 0, n, x, 0, n, 0, factor, 0, n);
            for (int i = 0; i < n; i++) {
                factor[i * n + i] += 1e-3;
            }
            try (DeviceArray dx = DeviceArray.upload(device, x); DeviceArray da = DeviceArray.upload(device, factor);
                 DeviceArray scratch = DeviceArray.zeros(device, DType.F64, n * n)) {
                report("gpu-factor-gemm-f64", n, time(5, 50, () -> {
                    f64.gemm(true, false, n, n, batch, 1.0 / batch, dx, 0, n, dx, 0, n, 0, scratch, 0, n);
                    device.synchronize();
                }));
                report("gpu-spd-inverse-f64", n, time(3, 20, () -> linalg.spdInverse(da, n).close()));
                report("gpu-syevd-f64", n, time(2, 10, () -> linalg.symmetricEigen(da, n)));
            }
            report("cpu-factor-gemm-f64", n, time(3, 20, () ->
                    Kernels.active().f64().gemm(true, false, n, n, batch, 1.0 / batch, x, 0, n, x, 0, n, 0, new double[n * n], 0, n)));
            Tensor a = Tensor.of(factor.clone(), n, n);
            report("cpu-spd-inverse-f64", n, time(2, 5, () -> Linalg.spdInverse(a)));
            report("cpu-cholesky-f64", n, time(2, 5, () -> Cholesky.tryDecomposeInPlace(factor.clone(), n)));
            report("cpu-eigen-f64", n, time(1, 3, () -> SymmetricEigen.ofLowerTriangle(factor, n)));
        }
    }

    private static double time(int warmup, int reps, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            work.run();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static void report(String variant, int n, double ms) {
        System.out.printf("kfac\t%s\t%d\t%.4f%n", variant, n, ms);
    }
}
