package dev.hyperkron.gpu;

/** A CUDA library call failed: the message names the call and the library's error code and text. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
