package dev.hyperkron.core.kernels;

/** Plain-Java kernels that run on any JVM; the reference the Vector API kernels must agree with. */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private final ScalarKernelsF32 f32 = new ScalarKernelsF32();
    private final ScalarKernelsF64 f64 = new ScalarKernelsF64();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
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
