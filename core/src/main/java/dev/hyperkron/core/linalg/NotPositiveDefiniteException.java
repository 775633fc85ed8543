package dev.hyperkron.core.linalg;

/**
 * Thrown when a Cholesky factorization meets a pivot that is not positive: the matrix is not
 * (numerically) positive definite. Callers that can recover, for example by adding damping,
 * use {@link Cholesky#tryDecompose} and read the same facts from its result instead.
 */
public class NotPositiveDefiniteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int pivot;
    private final double pivotValue;

    public NotPositiveDefiniteException(int size, int pivot, double pivotValue) {
        super("Cholesky: the " + size + " x " + size + " matrix is not positive definite: pivot " + pivot
                + " (0-based) is " + pivotValue + " (the diagonal entry minus the squares of the factor row"
                + " before it must be positive and finite); add damping or check that the matrix is SPD");
        this.size = size;
        this.pivot = pivot;
        this.pivotValue = pivotValue;
    }

    /** The matrix is size x size. */
    public int size() {
        return size;
    }

    /** The 0-based index of the first pivot that was not positive. */
    public int pivot() {
        return pivot;
    }

    /** The Schur complement diagonal entry that should have been positive and finite (0, negative, infinite, NaN). */
    public double pivotValue() {
        return pivotValue;
    }
}
