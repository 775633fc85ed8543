package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

/**
 * GEMM throughput of the CUDA backend against the CPU kernels, for bench/scripts/gpu-check.sh: cuBLAS
 * on device-resident arrays (F32, TF32, F64; device events, median of repetitions), the same through
 * the array SPI (host copies included), and the Vector API kernels on this host's cores. Prints TSV
 * lines {@code gemm <variant> <n> <ms> <GFLOP/s>}. (Here rather than in bench: bench builds on JDK 17.)
 */
public final class GpuBenchmark {
    private GpuBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024, 2048, 4096, 8192};
        int cpuMax = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        CudaDevice device = CudaDevice.get();
        System.out.println("# device " + device + ", host threads " + Runtime.getRuntime().availableProcessors());
        CudaKernels cuda = new CudaKernels(device);
        for (int n : sizes) {
            resident(device, cuda, DType.F32, false, n);
            resident(device, cuda, DType.F32, true, n);
            if (n <= 8192) {
                resident(device, cuda, DType.F64, false, n);
            }
            staged(cuda.stagedF32(), "cuda-staged-f32", n, 5);
            if (n <= cpuMax) {
                staged(Kernels.vector().f32(), "cpu-vector-f32", n, n >= 4096 ? 3 : 5);
            }
        }
    }

    private static void resident(CudaDevice device, CudaKernels cuda, DType dtype, boolean tf32, int n) {
        DeviceKernels k = cuda.device(dtype);
        Random rnd = new Random(n);
        int len = n * n;
        try (DeviceArray a = upload(device, dtype, rnd, len); DeviceArray b = upload(device, dtype, rnd, len);
             DeviceArray c = DeviceArray.zeros(device, dtype, len)) {
            device.cublas.useTf32(tf32);
            for (int i = 0; i < 3; i++) {
                k.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            }
            int reps = Math.max(5, (int) Math.min(50, 2e12 / (2.0 * n * n * n)));
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                MemorySegment start = device.record();
                k.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                MemorySegment end = device.record();
                ms[r] = device.elapsedMillis(start, end);
            }
            report("cuda-resident-" + (tf32 ? "tf32" : dtype.name().toLowerCase()), n, median(ms));
        } finally {
            device.cublas.useTf32(Boolean.getBoolean(CudaDevice.TF32_PROPERTY));
        }
    }

    private static void staged(TypedKernels<float[]> k, String name, int n, int reps) {
        Random rnd = new Random(n);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
        }
        float[] c = new float[n * n];
        for (int i = 0; i < (n <= 2048 ? 5 : 2); i++) { // the CPU kernels need a few calls before the JIT has compiled them
            k.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            k.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        report(name, n, median(ms));
    }

    private static DeviceArray upload(CudaDevice device, DType dtype, Random rnd, int len) {
        if (dtype == DType.F32) {
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            return DeviceArray.upload(device, v);
        }
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rnd.nextGaussian();
        }
        return DeviceArray.upload(device, v);
    }

    private static void report(String variant, int n, double ms) {
        System.out.printf("gemm\t%s\t%d\t%.4f\t%.1f%n", variant, n, ms, 2.0 * n * n * n / (ms * 1e6));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
