package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.core.Device;
import picocli.CommandLine.Option;

/**
 * {@code --device}: where the model, the outer variables and the features live for this run: the
 * host ("cpu") or an accelerator whose module is on the class path ("cuda" with hyperkron-gpu).
 */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "NAME", description = "Where tensors live: cpu, or cuda (cuda:N) when the "
            + "hyperkron-gpu module and a CUDA device are present (default: ${DEFAULT-VALUE}).", defaultValue = "cpu")
    String device;

    /** The name as given (cpu, cuda, cuda:N, ...), for commands that pass it on. */
    public String name() {
        return device;
    }

    /** The device named; a bad or unavailable one is a user error (exit code 2) saying why. */
    public Device resolve() {
        try {
            return Device.named(device);
        } catch (IllegalArgumentException e) {
            throw new UserError("--device: " + e.getMessage());
        }
    }
}
