package dev.hyperkron.gpu;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.KernelsProvider;
import dev.hyperkron.core.kernels.KernelsUnavailableException;

/** Makes the CUDA kernels selectable as {@code -Dhyperkron.kernels=cuda} (registered in META-INF/services). */
public final class CudaKernelsProvider implements KernelsProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Kernels create() throws KernelsUnavailableException {
        try {
            return new CudaKernels(CudaDevice.get());
        } catch (CudaException e) {
            throw new KernelsUnavailableException(e.getMessage().lines().findFirst().orElse("CUDA unavailable"), e);
        }
    }
}
