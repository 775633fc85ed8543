package dev.hyperkron.gpu;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a test container when no CUDA device can be opened, reporting why (the missing library
 * and how to point at it, or the missing device), so that a run without a GPU says what it did not test.
 */
public class RequiresCuda implements SkipExecutionHook {

    /** Null when the device opens, else the reason it does not. */
    public static String unavailableReason() {
        try {
            CudaDevice.get();
            return null;
        } catch (CudaException e) {
            return "no CUDA device to test on: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String reason = unavailableReason();
        return reason == null ? SkipResult.doNotSkip() : SkipResult.skip(reason);
    }
}
