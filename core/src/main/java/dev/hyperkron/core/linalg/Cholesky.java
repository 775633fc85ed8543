package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * The Cholesky factorization A = L L^T of a symmetric positive definite matrix, the workhorse
 * for SPD solves and inverses (damped curvature, Kronecker factors). It never returns NaN: a
 * matrix that is not positive definite is reported with the pivot where factorization stopped.
 *
 * <p>The work is done in F64 whatever the input dtype, so an F32 matrix gets the accuracy of a
 * double-precision factorization (there is no separate F64 retry to make). Blocked and
 * right-looking: the trailing updates, nearly all of the n^3/3 multiply-adds, run on the GEMM
 * kernel.
 */
public final class Cholesky {
    /** Columns per block: plain loops factor the diagonal block, AXPY substitutions the panel below it. */
    static final int BLOCK = 64;
    /** Columns per GEMM of the trailing update. */
    private static final int UPDATE_STRIP = 256;

    private Cholesky() {
    }

    /** The outcome of a factorization attempt: the factor, or where and why it failed. */
    public static final class Result {
        private final CholeskyFactor factor;
        private final int size;
        private final int failedPivot;
        private final double failedPivotValue;

        private Result(CholeskyFactor factor, int size, int failedPivot, double failedPivotValue) {
            this.factor = factor;
            this.size = size;
            this.failedPivot = failedPivot;
            this.failedPivotValue = failedPivotValue;
        }

        /** Whether the factorization succeeded, i.e. the matrix is numerically positive definite. */
        public boolean isPositiveDefinite() {
            return factor != null;
        }

        /** The factor; a {@link NotPositiveDefiniteException} describing the failure if there is none. */
        public CholeskyFactor factor() {
            if (factor == null) {
                throw new NotPositiveDefiniteException(size, failedPivot, failedPivotValue);
            }
            return factor;
        }

        /** The 0-based index of the first pivot that was not positive; only for a failed result. */
        public int failedPivot() {
            requireFailure("failedPivot");
            return failedPivot;
        }

        /**
         * The Schur complement diagonal entry at {@link #failedPivot()}, which should have been
         * positive and finite; only for a failed result.
         */
        public double failedPivotValue() {
            requireFailure("failedPivotValue");
            return failedPivotValue;
        }

        private void requireFailure(String method) {
            if (factor != null) {
                throw new IllegalStateException("Cholesky.Result." + method + ": the " + size + " x " + size
                        + " matrix is positive definite, no pivot failed");
            }
        }

        @Override
        public String toString() {
            return factor != null ? "Cholesky.Result(positive definite, " + size + " x " + size + ")"
                    : "Cholesky.Result(not positive definite at pivot " + failedPivot + " = " + failedPivotValue
                    + ", " + size + " x " + size + ")";
        }
    }

    /**
     * Factors a square, finite, symmetric F32 or F64 matrix (asymmetry up to the square root of
     * its dtype's unit roundoff, relative to the largest entry, is tolerated and only the lower
     * triangle is used). The factor keeps the input's dtype.
     */
    public static Result tryDecompose(Tensor a) {
        String op = "Cholesky";
        double[] data = Matrices.squareCopy(op, a);
        int n = a.dim(0);
        Matrices.requireSymmetric(op, data, n, Matrices.symmetryTolerance(a.dtype()));
        return tryDecomposeInPlace(data, n, a.dtype());
    }

    /** Like {@link #tryDecompose(Tensor)}, throwing {@link NotPositiveDefiniteException} on failure. */
    public static CholeskyFactor decompose(Tensor a) {
        return tryDecompose(a).factor();
    }

    /**
     * Factors the row-major n x n matrix {@code a} in place, reading only its lower triangle: on
     * success {@code a} holds L with zeros above the diagonal and the result's factor wraps it
     * (dtype F64); on failure {@code a} holds a partial factorization.
     */
    public static Result tryDecomposeInPlace(double[] a, int n) {
        Matrices.requireLength("Cholesky.tryDecomposeInPlace", "a", a, n, n);
        Matrices.requireFiniteLowerTriangle("Cholesky.tryDecomposeInPlace", a, n);
        return tryDecomposeInPlace(a, n, DType.F64);
    }

    private static Result tryDecomposeInPlace(double[] a, int n, DType dtype) {
        TypedKernels<double[]> kernels = Kernels.active().f64();
        double[] panelTransposed = new double[Math.min(n, BLOCK) * n];
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int k1 = Math.min(n, k0 + BLOCK);
            int failed = factorDiagonalBlock(kernels, a, n, k0, k1);
            if (failed >= 0) {
                return new Result(null, n, failed, a[failed * n + failed]);
            }
            if (k1 < n) {
                solvePanel(kernels, a, n, k0, k1, panelTransposed);
                updateTrailingMatrix(kernels, a, n, k0, k1, panelTransposed);
            }
        }
        zeroStrictUpperTriangle(a, n);
        return new Result(new CholeskyFactor(a, n, dtype), n, -1, Double.NaN);
    }

    /**
     * Factors the diagonal block [k0, k1) x [k0, k1), all earlier columns' contributions having
     * been subtracted already. Returns the first row whose pivot is not positive and finite
     * (leaving that pivot's value on the diagonal), or -1.
     */
    private static int factorDiagonalBlock(TypedKernels<double[]> kernels, double[] a, int n, int k0, int k1) {
        for (int i = k0; i < k1; i++) {
            int rowI = i * n;
            for (int j = k0; j <= i; j++) {
                int rowJ = j * n;
                double s = a[rowI + j] - kernels.dot(a, rowI + k0, a, rowJ + k0, j - k0);
                if (j < i) {
                    a[rowI + j] = s / a[rowJ + j];
                } else if (s > 0 && s < Double.POSITIVE_INFINITY) {
                    a[rowI + i] = Math.sqrt(s);
                } else {
                    a[rowI + i] = s;
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The panel below the diagonal block, L21 = A21 L11^{-T}, solved as L11 L21^T = A21^T in the
     * transposed layout, where each substitution step is a long AXPY over all m = n - k1 rows.
     * Leaves L21^T in {@code panelTransposed} ([k1 - k0, m]) for the trailing update and L21 in a.
     */
    private static void solvePanel(TypedKernels<double[]> kernels, double[] a, int n, int k0, int k1,
                                   double[] panelTransposed) {
        int m = n - k1;
        int width = k1 - k0;
        for (int r = 0; r < m; r++) {
            int row = (k1 + r) * n + k0;
            for (int p = 0; p < width; p++) {
                panelTransposed[p * m + r] = a[row + p];
            }
        }
        for (int j = 0; j < width; j++) {
            int rowJ = (k0 + j) * n + k0;
            for (int p = 0; p < j; p++) {
                kernels.axpy(-a[rowJ + p], panelTransposed, p * m, panelTransposed, j * m, m);
            }
            kernels.scale(1.0 / a[rowJ + j], panelTransposed, j * m, m);
        }
        for (int r = 0; r < m; r++) {
            int row = (k1 + r) * n + k0;
            for (int p = 0; p < width; p++) {
                a[row + p] = panelTransposed[p * m + r];
            }
        }
    }

    /**
     * A22 -= L21 L21^T on the lower triangle of the trailing matrix (rows and columns from k1), in
     * column strips of {@link #UPDATE_STRIP} so that each GEMM is large and few multiply-adds go
     * above the diagonal (where the strip's results are never read).
     */
    private static void updateTrailingMatrix(TypedKernels<double[]> kernels, double[] a, int n, int k0, int k1,
                                             double[] panelTransposed) {
        int m = n - k1;
        int width = k1 - k0;
        for (int j0 = k1; j0 < n; j0 += UPDATE_STRIP) {
            int j1 = Math.min(n, j0 + UPDATE_STRIP);
            kernels.gemm(false, false, n - j0, j1 - j0, width, -1.0, a, j0 * n + k0, n,
                    panelTransposed, j0 - k1, m, 1.0, a, j0 * n + j0, n);
        }
    }

    private static void zeroStrictUpperTriangle(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
        }
    }
}
