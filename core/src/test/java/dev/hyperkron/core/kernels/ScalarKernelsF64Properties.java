package dev.hyperkron.core.kernels;

/** The kernel contract for the portable scalar kernels on double[]. */
class ScalarKernelsF64Properties extends TypedKernelsContract<double[]> {
    @Override
    TypedKernels<double[]> kernels() {
        return Kernels.scalar().f64();
    }

    @Override
    ArrayType<double[]> type() {
        return ArrayType.F64;
    }
}
