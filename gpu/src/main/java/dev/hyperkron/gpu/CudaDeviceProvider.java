package dev.hyperkron.gpu;

import dev.hyperkron.core.Device;
import dev.hyperkron.core.DeviceProvider;

/**
 * Makes the CUDA device selectable by name, {@code Device.named("cuda")} or "cuda:N" (registered in
 * META-INF/services): the device {@link CudaDevice#get()} opens, whose ordinal comes from
 * {@code -Dhyperkron.cuda.device} (one CUDA device per process).
 */
public final class CudaDeviceProvider implements DeviceProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device open(String spec) {
        CudaDevice cuda;
        try {
            cuda = CudaDevice.get();
        } catch (CudaException e) {
            throw new IllegalStateException(e.getMessage().lines().findFirst().orElse("CUDA unavailable"), e);
        }
        int colon = spec.indexOf(':');
        if (colon >= 0 && !spec.substring(colon + 1).equals(Integer.toString(cuda.ordinal()))) {
            throw new IllegalArgumentException("'" + spec + "': this process uses CUDA device " + cuda.ordinal()
                    + " (one per process); choose another with -D" + CudaDevice.DEVICE_PROPERTY + "=N");
        }
        return cuda.tensors();
    }
}
