package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Parallel;

/**
 * P A = L U with partial (row) pivoting: solves and inverts general square matrices, such as
 * the exact inverse of an indefinite Hessian that Cholesky refuses. Works in F64; tensors it
 * returns have the dtype of the factored matrix.
 *
 * <p>A matrix counts as singular when a pivot, the largest remaining entry of its column, is
 * at most n times the unit roundoff times the largest absolute entry of A: beyond that the
 * solution would be dominated by rounding. (A matrix with wildly different row scales, such as
 * diag(1, 1e-20), is therefore reported as singular; rescale it first.)
 */
public final class LuDecomposition {
    /** Multiply-adds per worker below which an elimination step is not split further. */
    private static final long PARALLEL_STEP_WORK = 1L << 16;

    private final int n;
    private final DType dtype;
    /** L with its unit diagonal, zeros above. */
    private final double[] lower;
    /** U, zeros below the diagonal. */
    private final double[] upper;
    /** Row i of P A is row rowOrder[i] of A. */
    private final int[] rowOrder;

    private LuDecomposition(int n, DType dtype, double[] lower, double[] upper, int[] rowOrder) {
        this.n = n;
        this.dtype = dtype;
        this.lower = lower;
        this.upper = upper;
        this.rowOrder = rowOrder;
    }

    /** Factors a square, finite F32 or F64 matrix; throws {@link SingularMatrixException} if it is singular. */
    public static LuDecomposition of(Tensor a) {
        double[] data = Matrices.squareCopy("LuDecomposition", a);
        return factorInPlace(data, a.dim(0), a.dtype());
    }

    /**
     * Factors the row-major n x n matrix {@code a}, overwriting it; throws
     * {@link SingularMatrixException} if it is singular. The decomposition's dtype is F64.
     */
    public static LuDecomposition ofInPlace(double[] a, int n) {
        Matrices.requireLength("LuDecomposition.ofInPlace", "a", a, n, n);
        Matrices.requireFinite("LuDecomposition.ofInPlace", a, n, n);
        return factorInPlace(a, n, DType.F64);
    }

    private static LuDecomposition factorInPlace(double[] a, int n, DType dtype) {
        double singularBelow = n * Math.ulp(1.0) * Matrices.maxAbs(a);
        int[] rowOrder = new int[n];
        for (int i = 0; i < n; i++) {
            rowOrder[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int pivotRow = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i * n + k]) > Math.abs(a[pivotRow * n + k])) {
                    pivotRow = i;
                }
            }
            double pivot = a[pivotRow * n + k];
            if (!(Math.abs(pivot) > singularBelow)) {
                throw new SingularMatrixException("LuDecomposition: the " + n + " x " + n + " matrix is singular:"
                        + " the largest candidate pivot in column " + k + " is " + pivot
                        + ", not above n * ulp(1) * max|A| = " + singularBelow, k);
            }
            swapRows(a, n, k, pivotRow, rowOrder);
            eliminateBelow(a, n, k);
        }
        return new LuDecomposition(n, dtype, unitLowerPart(a, n), upperPart(a, n), rowOrder);
    }

    private static void swapRows(double[] a, int n, int k, int other, int[] rowOrder) {
        if (other == k) {
            return;
        }
        for (int j = 0; j < n; j++) {
            double t = a[k * n + j];
            a[k * n + j] = a[other * n + j];
            a[other * n + j] = t;
        }
        int t = rowOrder[k];
        rowOrder[k] = rowOrder[other];
        rowOrder[other] = t;
    }

    /** Stores the multipliers of column k below the pivot and subtracts their multiples of row k. */
    private static void eliminateBelow(double[] a, int n, int k) {
        int rows = n - k - 1;
        int minRows = (int) Math.max(1, PARALLEL_STEP_WORK / Math.max(1, rows));
        double pivot = a[k * n + k];
        Parallel.forRange(rows, minRows, (from, to) -> {
            for (int i = k + 1 + from; i < k + 1 + to; i++) {
                double multiplier = a[i * n + k] / pivot;
                a[i * n + k] = multiplier;
                if (multiplier != 0) {
                    for (int j = k + 1; j < n; j++) {
                        a[i * n + j] -= multiplier * a[k * n + j];
                    }
                }
            }
        });
    }

    private static double[] unitLowerPart(double[] lu, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(lu, i * n, l, i * n, i);
            l[i * n + i] = 1;
        }
        return l;
    }

    private static double[] upperPart(double[] lu, int n) {
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(lu, i * n + i, u, i * n + i, n - i);
        }
        return u;
    }

    /** The factored matrix is size x size. */
    public int size() {
        return n;
    }

    /** X with A X = B, for B of shape [n] or [n, k] and the factored matrix's dtype. */
    public Tensor solve(Tensor b) {
        double[] x = Matrices.rightHandSideCopy("LuDecomposition.solve", n, dtype, b);
        solveInPlace(x, Matrices.columns(b));
        return Matrices.tensor(x, dtype, b.shape());
    }

    /** Overwrites the row-major n x columns matrix b with A^{-1} b. */
    public void solveInPlace(double[] b, int columns) {
        Matrices.requireLength("LuDecomposition.solveInPlace", "b", b, n, columns);
        double[] permuted = new double[b.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(b, rowOrder[i] * columns, permuted, i * columns, columns);
        }
        TriangularSolve.solveInPlace(Triangle.LOWER, false, lower, n, permuted, columns);
        TriangularSolve.solveInPlace(Triangle.UPPER, false, upper, n, permuted, columns);
        System.arraycopy(permuted, 0, b, 0, b.length);
    }

    /** A^{-1}. */
    public Tensor inverse() {
        double[] inverse = Matrices.identity(n);
        solveInPlace(inverse, n);
        return Matrices.tensor(inverse, dtype, Shape.of(n, n));
    }
}
