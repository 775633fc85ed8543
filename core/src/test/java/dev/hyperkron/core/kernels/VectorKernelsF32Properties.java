package dev.hyperkron.core.kernels;

/** The kernel contract, and agreement with the scalar kernels, for the Vector API kernels on float[]. */
class VectorKernelsF32Properties extends VectorKernelsContract<float[]> {
    @Override
    TypedKernels<float[]> kernels() {
        return Kernels.vector().f32();
    }

    @Override
    TypedKernels<float[]> scalarKernels() {
        return Kernels.scalar().f32();
    }

    @Override
    ArrayType<float[]> type() {
        return ArrayType.F32;
    }
}
