package dev.hyperkron.core.kernels;

import dev.hyperkron.gpu.CudaDevice;
import dev.hyperkron.gpu.CudaKernels;
import dev.hyperkron.gpu.RequiresCuda;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The kernel contract for the CUDA kernels on float[] (staged through device buffers); skipped without a device. */
@AddLifecycleHook(RequiresCuda.class)
class CudaKernelsF32Properties extends TypedKernelsContract<float[]> {
    @Override
    TypedKernels<float[]> kernels() {
        return new CudaKernels(CudaDevice.get()).stagedF32();
    }

    @Override
    ArrayType<float[]> type() {
        return ArrayType.F32;
    }
}
