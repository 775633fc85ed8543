package dev.hyperkron.core;

/**
 * A device that lives outside core (the optional {@code gpu} module's CUDA device), found at run
 * time through {@link java.util.ServiceLoader} so that nothing in core depends on it at compile
 * time. {@link Device#named} selects a provider by its {@link #name()}.
 */
public interface DeviceProvider {

    /** The name a device of this provider is selected by, e.g. "cuda". */
    String name();

    /**
     * Opens the device that {@code spec} names: this provider's name, optionally followed by
     * {@code :N} for a device ordinal. Throws {@link IllegalStateException} whose one-line message
     * says what is missing (a library, a device) and how to supply it, or
     * {@link IllegalArgumentException} for an ordinal it cannot give.
     */
    Device open(String spec);
}
