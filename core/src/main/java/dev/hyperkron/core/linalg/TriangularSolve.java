package dev.hyperkron.core.linalg;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * Solves T X = B or T^T X = B for a triangular T and any number of right-hand sides: the
 * second half of every Cholesky or LU solve. Blocked so that most of the work is a GEMM on the
 * active kernels; only the named triangle of T is read.
 */
public final class TriangularSolve {
    /** Rows per diagonal block; the updates between blocks go to the GEMM kernel. */
    static final int BLOCK = 64;

    private TriangularSolve() {
    }

    /**
     * X with op(T) X = B, where op(T) is T or T^T and T is the given triangle of the square
     * matrix {@code t}. B is a vector [n] or a matrix [n, k] of t's dtype; X has B's shape and
     * dtype. Throws {@link SingularMatrixException} for a zero on the diagonal.
     */
    public static Tensor solve(Tensor t, Triangle triangle, boolean transpose, Tensor b) {
        String op = "TriangularSolve.solve";
        double[] matrix = Matrices.squareCopy(op, t);
        double[] x = Matrices.rightHandSideCopy(op, t.dim(0), t.dtype(), b);
        solveInPlace(triangle, transpose, matrix, t.dim(0), x, Matrices.columns(b));
        return Matrices.tensor(x, b.dtype(), b.shape());
    }

    /**
     * Overwrites the row-major n x columns matrix b with X such that op(T) X = B, T being the
     * given triangle of the row-major n x n matrix t.
     */
    public static void solveInPlace(Triangle triangle, boolean transpose, double[] t, int n, double[] b, int columns) {
        Matrices.requireLength("TriangularSolve.solveInPlace", "t", t, n, n);
        Matrices.requireLength("TriangularSolve.solveInPlace", "b", b, n, columns);
        requireNonZeroDiagonal(t, n);
        boolean forward = (triangle == Triangle.LOWER) != transpose;
        TypedKernels<double[]> kernels = Kernels.active().f64();
        if (forward) {
            for (int i0 = 0; i0 < n; i0 += BLOCK) {
                int i1 = Math.min(n, i0 + BLOCK);
                solveDiagonalBlock(kernels, true, transpose, t, n, b, columns, columns, i0, i1);
                // Rows below the block lose the block's contribution: B[i1:] -= op(T)[i1:, i0:i1] X[i0:i1].
                int offset = transpose ? i0 * n + i1 : i1 * n + i0;
                if (i1 < n) {
                    kernels.gemm(transpose, false, n - i1, columns, i1 - i0, -1.0, t, offset, n,
                            b, i0 * columns, columns, 1.0, b, i1 * columns, columns);
                }
            }
        } else {
            for (int i1 = n; i1 > 0; i1 -= BLOCK) {
                int i0 = Math.max(0, i1 - BLOCK);
                solveDiagonalBlock(kernels, false, transpose, t, n, b, columns, columns, i0, i1);
                // Rows above the block: B[:i0] -= op(T)[:i0, i0:i1] X[i0:i1].
                int offset = transpose ? i0 * n : i0;
                if (i0 > 0) {
                    kernels.gemm(transpose, false, i0, columns, i1 - i0, -1.0, t, offset, n,
                            b, i0 * columns, columns, 1.0, b, 0, columns);
                }
            }
        }
    }

    /**
     * L^{-1} for the lower triangle of the row-major n x n matrix l: the forward solve of L X = I,
     * skipping the columns right of each block, where X, like L, is zero. That makes it a third
     * of the work of a general solve with n right-hand sides.
     */
    static double[] invertLower(double[] l, int n) {
        requireNonZeroDiagonal(l, n);
        TypedKernels<double[]> kernels = Kernels.active().f64();
        double[] x = Matrices.identity(n);
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int i1 = Math.min(n, i0 + BLOCK);
            solveDiagonalBlock(kernels, true, false, l, n, x, n, i1, i0, i1);
            if (i1 < n) {
                kernels.gemm(false, false, n - i1, i1, i1 - i0, -1.0, l, i1 * n + i0, n,
                        x, i0 * n, n, 1.0, x, i1 * n, n);
            }
        }
        return x;
    }

    /**
     * Substitution inside rows [i0, i1), whose dependence on earlier blocks is already
     * subtracted, on the first {@code columns} columns of b (row stride {@code ldb}).
     */
    private static void solveDiagonalBlock(TypedKernels<double[]> kernels, boolean forward, boolean transpose,
                                           double[] t, int n, double[] b, int ldb, int columns, int i0, int i1) {
        for (int step = 0; step < i1 - i0; step++) {
            int i = forward ? i0 + step : i1 - 1 - step;
            int row = i * ldb;
            int from = forward ? i0 : i + 1;
            int to = forward ? i : i1;
            for (int k = from; k < to; k++) {
                double tik = transpose ? t[k * n + i] : t[i * n + k];
                if (tik != 0) {
                    kernels.axpy(-tik, b, k * ldb, b, row, columns);
                }
            }
            kernels.scale(1.0 / t[i * n + i], b, row, columns);
        }
    }

    private static void requireNonZeroDiagonal(double[] t, int n) {
        for (int i = 0; i < n; i++) {
            if (t[i * n + i] == 0) {
                throw new SingularMatrixException("TriangularSolve: the " + n + " x " + n
                        + " triangular matrix has a zero on the diagonal at index " + i, i);
            }
        }
    }
}
