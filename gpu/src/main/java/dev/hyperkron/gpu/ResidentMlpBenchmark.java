package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.Kernels;
import java.util.Arrays;

/**
 * Times {@link ResidentMlpStep} on the GPU with every buffer device-resident, after checking that
 * ten device steps give the weights ten CPU-kernel steps give. Prints {@code mlp resident.sgd_step
 * <ms>} (synchronised after each step) and {@code mlp resident.sgd_step_pipelined <ms>} (one
 * synchronisation per 100 steps), the CPU-kernel figure beside them. For bench/scripts/gpu-check.sh.
 */
public final class ResidentMlpBenchmark {
    private ResidentMlpBenchmark() {
    }

    public static void main(String[] args) {
        CudaDevice device = CudaDevice.get();
        DeviceKernels gpu = new CudaKernels(device).device(DType.F32);
        ResidentMlpStep<DeviceArray> onDevice = new ResidentMlpStep<>(gpu, n -> DeviceArray.zeros(device, DType.F32, n),
                v -> DeviceArray.upload(device, v), 1);
        Kernels cpuKernels = Kernels.vectorAvailable() ? Kernels.vector() : Kernels.scalar();
        ResidentMlpStep<float[]> onHost = new ResidentMlpStep<>(cpuKernels.f32(), float[]::new, float[]::clone, 1);
        for (int i = 0; i < 10; i++) {
            onDevice.step(0.1);
            onHost.step(0.1);
        }
        float[] expected = onHost.w1;
        float[] got = onDevice.w1.downloadF32();
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i])));
        }
        System.out.printf("# resident MLP step: max relative difference of w1 from the CPU kernels after 10 steps: %.2e%n", worst);
        if (!(worst < 1e-3)) {
            System.out.println("# FAILED: the device steps do not match the CPU steps");
            System.exit(1);
        }
        for (int i = 0; i < 200; i++) {
            onDevice.step(0.1);
        }
        device.synchronize();
        double[] ms = new double[300];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            onDevice.step(0.1);
            device.synchronize();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("mlp\tresident.sgd_step\t%.4f%n", median(ms));
        double[] pipelined = new double[5];
        for (int r = 0; r < pipelined.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                onDevice.step(0.1);
            }
            device.synchronize();
            pipelined[r] = (System.nanoTime() - t0) / 1e6 / 100;
        }
        System.out.printf("mlp\tresident.sgd_step_pipelined\t%.4f%n", median(pipelined));
        graphs(device, gpu);
        double[] cpu = new double[100];
        for (int r = 0; r < cpu.length; r++) {
            long t0 = System.nanoTime();
            onHost.step(0.1);
            cpu[r] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("mlp\tcpu-kernels.sgd_step\t%.4f%n", median(cpu));
    }

    /** The same step captured once as a CUDA graph and replayed: one launch per step instead of 25. */
    private static void graphs(CudaDevice device, DeviceKernels gpu) {
        try {
            ResidentMlpStep<DeviceArray> model = new ResidentMlpStep<>(gpu, n -> DeviceArray.zeros(device, DType.F32, n),
                    v -> DeviceArray.upload(device, v), 1);
            Kernels cpuKernels = Kernels.vectorAvailable() ? Kernels.vector() : Kernels.scalar();
            ResidentMlpStep<float[]> reference = new ResidentMlpStep<>(cpuKernels.f32(), float[]::new, float[]::clone, 1);
            device.synchronize();
            java.lang.foreign.MemorySegment graph = device.capture(() -> model.step(0.1));
            for (int i = 0; i < 10; i++) {
                device.replay(graph);
                reference.step(0.1);
            }
            float[] got = model.w1.downloadF32();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - reference.w1[i]) / Math.max(1e-3, Math.abs(reference.w1[i])));
            }
            System.out.printf("# CUDA graph of the step: max relative difference of w1 from the CPU kernels after 10 replays: %.2e%n", worst);
            if (!(worst < 1e-3)) {
                System.out.println("# FAILED: the graph replays do not match the CPU steps");
                return;
            }
            double[] ms = new double[300];
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                device.replay(graph);
                device.synchronize();
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf("mlp\tresident.sgd_step_graph\t%.4f%n", median(ms));
            double[] pipelined = new double[5];
            for (int r = 0; r < pipelined.length; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    device.replay(graph);
                }
                device.synchronize();
                pipelined[r] = (System.nanoTime() - t0) / 1e6 / 100;
            }
            System.out.printf("mlp\tresident.sgd_step_graph_pipelined\t%.4f%n", median(pipelined));
        } catch (CudaException e) {
            System.out.println("# FAILED: CUDA graph capture or replay: " + e.getMessage());
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
