package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * The lower-triangular factor L of an SPD matrix A = L L^T, kept in F64 so that a matrix can be
 * factored once and then solved against, inverted or measured many times. Tensors it returns
 * have the dtype of the matrix that was factored.
 */
public final class CholeskyFactor {
    private final double[] lower;
    private final int n;
    private final DType dtype;

    CholeskyFactor(double[] lower, int n, DType dtype) {
        this.lower = lower;
        this.n = n;
        this.dtype = dtype;
    }

    /** The factored matrix is size x size. */
    public int size() {
        return n;
    }

    /** The dtype of the factored matrix, which every returned tensor has. */
    public DType dtype() {
        return dtype;
    }

    /** L, with zeros above the diagonal and a positive diagonal. */
    public Tensor lower() {
        return Matrices.tensor(lower.clone(), dtype, Shape.of(n, n));
    }

    /** X with A X = B, for B of shape [n] or [n, k] and the factored matrix's dtype. */
    public Tensor solve(Tensor b) {
        double[] x = Matrices.rightHandSideCopy("CholeskyFactor.solve", n, dtype, b);
        solveInPlace(x, Matrices.columns(b));
        return Matrices.tensor(x, dtype, b.shape());
    }

    /** Overwrites the row-major n x columns matrix b with A^{-1} b. */
    public void solveInPlace(double[] b, int columns) {
        TriangularSolve.solveInPlace(Triangle.LOWER, false, lower, n, b, columns);
        TriangularSolve.solveInPlace(Triangle.LOWER, true, lower, n, b, columns);
    }

    /**
     * A^{-1} = L^{-T} L^{-1}, exactly symmetric. Inverting L and forming the lower triangle of
     * X^T X from its blocks takes 2n^3/3 multiply-adds, a third of solving against the identity.
     */
    public Tensor inverse() {
        double[] x = TriangularSolve.invertLower(lower, n);
        double[] inverse = new double[n * n];
        TypedKernels<double[]> kernels = Kernels.active().f64();
        int block = TriangularSolve.BLOCK;
        for (int i0 = 0; i0 < n; i0 += block) {
            int i1 = Math.min(n, i0 + block);
            // Rows [i0, i1) up to column i1 in one product; X is lower triangular, so rows above
            // i0 of X[:, i0:i1] are zero.
            kernels.gemm(true, false, i1 - i0, i1, n - i0, 1.0, x, i0 * n + i0, n,
                    x, i0 * n, n, 0.0, inverse, i0 * n, n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                inverse[j * n + i] = inverse[i * n + j];
            }
        }
        return Matrices.tensor(inverse, dtype, Shape.of(n, n));
    }

    /** log det A = 2 sum log L_ii, without the overflow of the determinant itself. */
    public double logDeterminant() {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(lower[i * n + i]);
        }
        return 2 * sum;
    }
}
