package dev.hyperkron.core.kernels;

/**
 * Thrown by a {@link KernelsProvider} whose kernels cannot run in this process (no library, no
 * device); the message is the one line shown to the user before falling back to the CPU kernels.
 */
public class KernelsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public KernelsUnavailableException(String message) {
        super(message);
    }

    public KernelsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
