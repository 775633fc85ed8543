package dev.hyperkron.core.kernels;

/** Kernels on the incubating Vector API (SIMD); loaded only when jdk.incubator.vector is present. */
final class VectorKernels implements Kernels {
    private final VectorKernelsF32 f32 = new VectorKernelsF32();
    private final VectorKernelsF64 f64 = new VectorKernelsF64();

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public TypedKernels<float[]> f32() {
        return f32;
    }

    @Override
    public TypedKernels<double[]> f64() {
        return f64;
    }
}
