package dev.hyperkron.core.kernels;

/** The kernel contract, and agreement with the scalar kernels, for the Vector API kernels on double[]. */
class VectorKernelsF64Properties extends VectorKernelsContract<double[]> {
    @Override
    TypedKernels<double[]> kernels() {
        return Kernels.vector().f64();
    }

    @Override
    TypedKernels<double[]> scalarKernels() {
        return Kernels.scalar().f64();
    }

    @Override
    ArrayType<double[]> type() {
        return ArrayType.F64;
    }
}
