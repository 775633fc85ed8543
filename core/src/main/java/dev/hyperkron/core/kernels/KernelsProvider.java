package dev.hyperkron.core.kernels;

/**
 * A kernel set that lives outside core (the optional {@code gpu} module's CUDA kernels), found at
 * run time through {@link java.util.ServiceLoader} so that nothing in core depends on it at
 * compile time. {@code -Dhyperkron.kernels=<name>} selects a provider by its {@link #name()}.
 */
public interface KernelsProvider {

    /** The name {@code hyperkron.kernels} selects this provider by, e.g. "cuda". */
    String name();

    /**
     * Creates the kernels, or throws {@link KernelsUnavailableException} whose one-line message
     * says what is missing (a library file, a device) and how to supply it; the selection then
     * falls back to the CPU kernels and prints that line.
     */
    Kernels create() throws KernelsUnavailableException;
}
