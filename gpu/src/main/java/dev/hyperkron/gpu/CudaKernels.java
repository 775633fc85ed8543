package dev.hyperkron.gpu;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * The "cuda" kernel set: the SPI on Java arrays (staged through device buffers, see
 * {@link StagedKernels}) for {@code -Dhyperkron.kernels=cuda}, and the device-resident kernels
 * ({@link #device}) for code that keeps its data on the GPU between calls.
 */
public final class CudaKernels implements Kernels {
    private final CudaDevice device;
    private final DeviceKernels deviceF32;
    private final DeviceKernels deviceF64;
    private final TypedKernels<float[]> f32;
    private final TypedKernels<double[]> f64;

    public CudaKernels(CudaDevice device) {
        this.device = device;
        deviceF32 = new DeviceKernels(device, DType.F32);
        deviceF64 = new DeviceKernels(device, DType.F64);
        f32 = new StagedKernels<>(device, deviceF32);
        f64 = new StagedKernels<>(device, deviceF64);
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
