package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * The "cuda" kernel set: the SPI on Java arrays for {@code -Dhyperkron.kernels=cuda} (large GEMMs
 * on the GPU, the rest on the CPU kernels, see {@link OffloadingKernels}), every call on the GPU
 * through device buffers ({@link #stagedF32()}, {@link #stagedF64()}), and the device-resident
 * kernels ({@link #device}) for code that keeps its data on the GPU between calls.
 */
public final class CudaKernels implements Kernels {
    private final CudaDevice device;
    private final DeviceKernels deviceF32;
    private final DeviceKernels deviceF64;
    private final TypedKernels<float[]> f32;
    private final TypedKernels<double[]> f64;
    private final TypedKernels<float[]> stagedF32;
    private final TypedKernels<double[]> stagedF64;

    public CudaKernels(CudaDevice device) {
        this.device = device;
        deviceF32 = new DeviceKernels(device, DType.F32);
        deviceF64 = new DeviceKernels(device, DType.F64);
        stagedF32 = new StagedKernels<>(device, deviceF32);
        stagedF64 = new StagedKernels<>(device, deviceF64);
        Kernels cpu = Kernels.vectorAvailable() ? Kernels.vector() : Kernels.scalar();
        f32 = OffloadingKernels.configured(stagedF32, cpu.f32());
        f64 = OffloadingKernels.configured(stagedF64, cpu.f64());
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public TypedKernels<float[]> f32() {
        return f32;
    }

    @Override
    public TypedKernels<double[]> f64() {
        return f64;
    }

    /** Every call on the GPU: operands copied to device buffers and the result back, per call. */
    public TypedKernels<float[]> stagedF32() {
        return stagedF32;
    }

    /** Every call on the GPU, F64; see {@link #stagedF32()}. */
    public TypedKernels<double[]> stagedF64() {
        return stagedF64;
    }

    /** The kernels on device-resident arrays of a floating type. */
    public DeviceKernels device(DType dtype) {
        return switch (dtype) {
            case F32 -> deviceF32;
            case F64 -> deviceF64;
            default -> throw new IllegalArgumentException("no CUDA kernels for dtype " + dtype + ": use F32 or F64");
        };
    }

    public CudaDevice cudaDevice() {
        return device;
    }
}
