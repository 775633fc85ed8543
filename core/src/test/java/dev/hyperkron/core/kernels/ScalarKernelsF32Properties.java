package dev.hyperkron.core.kernels;

/** The kernel contract for the portable scalar kernels on float[]. */
class ScalarKernelsF32Properties extends TypedKernelsContract<float[]> {
    @Override
    TypedKernels<float[]> kernels() {
        return Kernels.scalar().f32();
    }

    @Override
    ArrayType<float[]> type() {
        return ArrayType.F32;
    }
}
