package dev.hyperkron.core.kernels;

import dev.hyperkron.gpu.CudaDevice;
import dev.hyperkron.gpu.CudaKernels;
import dev.hyperkron.gpu.RequiresCuda;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The kernel contract for the CUDA kernels on double[] (staged through device buffers); skipped without a device. */
@AddLifecycleHook(RequiresCuda.class)
class CudaKernelsF64Properties extends TypedKernelsContract<double[]> {
    @Override
    TypedKernels<double[]> kernels() {
        return new CudaKernels(CudaDevice.get()).stagedF64();
    }

    @Override
    ArrayType<double[]> type() {
        return ArrayType.F64;
    }
}
