package dev.hyperkron.core.linalg;

/**
 * Thrown when a system has no unique solution because its matrix is singular (or so close to
 * singular that rounding would dominate the answer); the message names the op, the size and
 * the offending pivot.
 */
public class SingularMatrixException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int pivot;

    public SingularMatrixException(String message, int pivot) {
        super(message);
        this.pivot = pivot;
    }

    /** The row/column index of the zero (or negligible) pivot. */
    public int pivot() {
        return pivot;
    }
}
