package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.ShapeException;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;

/**
 * The boundary between tensors and the row-major {@code double[]} matrices the decompositions
 * work on: argument checks with messages that name the op, and conversion in both directions.
 */
final class Matrices {
    private Matrices() {
    }

    /** A row-major F64 copy of a finite square 2-D F32/F64 tensor. */
    static double[] squareCopy(String op, Tensor a) {
        requireFloating(op, a);
        if (a.rank() != 2 || a.dim(0) != a.dim(1)) {
            throw ShapeException.of(op, "needs a square 2-D matrix", a.shape());
        }
        double[] data = a.toDoubleArray();
        requireFinite(op, data, a.dim(0), a.dim(1));
        return data;
    }

    /**
     * A row-major F64 copy of a right-hand side for an n x n system of the given dtype: a vector
     * [n] (one column) or a matrix [n, k] of the same dtype.
     */
    static double[] rightHandSideCopy(String op, int n, DType dtype, Tensor b) {
        requireFloating(op, b);
        if (b.rank() < 1 || b.rank() > 2 || b.dim(0) != n) {
            throw ShapeException.of(op, "the right-hand side must be [" + n + "] or [" + n + ", k] for a "
                    + n + " x " + n + " matrix", b.shape());
        }
        if (b.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": the matrix is " + dtype + " but the right-hand side is "
                    + b.dtype() + "; cast one of them");
        }
        double[] data = b.toDoubleArray();
        requireFinite(op, data, n, columns(b));
        return data;
    }

    /** The number of right-hand sides in b: 1 for a vector, its column count for a matrix. */
    static int columns(Tensor b) {
        return b.rank() == 1 ? 1 : b.dim(1);
    }

    /** Wraps a row-major F64 result (no copy) and converts it to {@code dtype}. */
    static Tensor tensor(double[] data, DType dtype, Shape shape) {
        return Tensor.wrap(Storage.wrap(data), shape).cast(dtype);
    }

    /** Rejects an array argument that does not hold exactly a rows x cols matrix. */
    static void requireLength(String op, String name, double[] a, int rows, int cols) {
        if (rows < 0 || cols < 0 || a.length != (long) rows * cols) {
            throw new IllegalArgumentException(op + ": " + name + " has " + a.length
                    + " elements but a " + rows + " x " + cols + " matrix needs " + (long) rows * cols);
        }
    }

    static void requireFinite(String op, double[] a, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = a[i * cols + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(op + ": element (" + i + ", " + j + ") of the "
                            + rows + " x " + cols + " input is " + v + "; only finite values are accepted");
                }
            }
        }
    }

    /** Like {@link #requireFinite} for the part of a square matrix on and below the diagonal. */
    static void requireFiniteLowerTriangle(String op, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(op + ": element (" + i + ", " + j + ") of the "
                            + n + " x " + n + " input is " + v + "; only finite values are accepted");
                }
            }
        }
    }

    /**
     * Rejects a matrix whose entries differ from their mirror images by more than
     * {@code relativeTolerance} times the largest absolute entry.
     */
    static void requireSymmetric(String op, double[] a, int n, double relativeTolerance) {
        double limit = relativeTolerance * maxAbs(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double upper = a[j * n + i];
                double lower = a[i * n + j];
                if (Math.abs(upper - lower) > limit) {
                    throw new IllegalArgumentException(op + ": the " + n + " x " + n + " matrix is not symmetric: ("
                            + i + ", " + j + ") = " + lower + " but (" + j + ", " + i + ") = " + upper
                            + ", a difference above the tolerance " + limit + " (" + relativeTolerance
                            + " times the largest absolute entry)");
                }
            }
        }
    }

    /**
     * How far a matrix of this dtype may stray from symmetry and still count as symmetric: the
     * square root of the unit roundoff, loose enough for products like X^T X computed in any
     * summation order, tight enough to catch a matrix that was never meant to be symmetric.
     */
    static double symmetryTolerance(DType dtype) {
        return dtype == DType.F32 ? Math.sqrt(Math.ulp(1.0f)) : Math.sqrt(Math.ulp(1.0));
    }

    /** The largest absolute entry on or below the diagonal of a square matrix. */
    static double maxAbsLowerTriangle(double[] a, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                max = Math.max(max, Math.abs(a[i * n + j]));
            }
        }
        return max;
    }

    static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The transpose of a rows x cols row-major matrix. */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** Replaces a square matrix by (A + A^T) / 2, removing the asymmetry rounding leaves in products. */
    static void symmetrizeInPlace(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double mean = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = mean;
                a[j * n + i] = mean;
            }
        }
    }

    static double[] identity(int n) {
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = 1;
        }
        return eye;
    }

    private static void requireFloating(String op, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs an F32 or F64 tensor, got " + t.dtype()
                    + " with shape " + t.shape());
        }
    }
}
