package dev.hyperkron.bench.perf;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;

/**
 * Makes a timer see a computation on a device finish: work on an accelerator is queued and the
 * call returns before it runs, so each timed method reads one element of its results (which
 * waits for the queued work), as {@code torch.cuda.synchronize()} does for PyTorch. On the host
 * it does nothing.
 */
final class DeviceWait {
    private final Device device;

    DeviceWait(Device device) {
        this.device = device;
    }

    Var finished(Var v) {
        finished(v.value());
        return v;
    }

    Params finished(Params p) {
        p.values().forEach(this::finished);
        return p;
    }

    private void finished(Tensor t) {
        if (device != Device.host() && t.size() > 0) {
            t.flatten().slice(0, t.size() - 1, t.size()).item();
        }
    }
}
