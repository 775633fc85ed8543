package dev.hyperkron.core.linalg;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.Kernels;
import java.util.function.DoubleUnaryOperator;

/**
 * The eigendecomposition A = Q diag(w) Q^T of a symmetric matrix: eigenvalues w in ascending
 * order, orthonormal eigenvectors as the columns of Q. This is what exact KFAC damping, EKFAC
 * and eigenvalue clamping need. Computed in F64 by Householder tridiagonalization, divide and
 * conquer on the tridiagonal matrix, and the Householder basis applied to its eigenvectors in
 * blocks, on a copy scaled by a power of two to a largest entry in [1, 2) so that no
 * intermediate overflows or underflows.
 *
 * <p>Accuracy is that of any backward-stable method: eigenvalues to within a small multiple of
 * the unit roundoff times the largest |eigenvalue|; eigenvectors of well-separated eigenvalues
 * up to sign, of repeated eigenvalues up to a rotation within their eigenspace.
 */
public final class SymmetricEigen {
    private final int n;
    private final DType dtype;
    private final double[] eigenvalues;
    /** Row-major n x n; column j belongs to eigenvalues[j]. */
    private final double[] eigenvectors;

    private SymmetricEigen(int n, DType dtype, double[] eigenvalues, double[] eigenvectors) {
        this.n = n;
        this.dtype = dtype;
        this.eigenvalues = eigenvalues;
        this.eigenvectors = eigenvectors;
    }

    /**
     * Decomposes a square, finite, symmetric F32 or F64 matrix. Input whose entries differ from
     * their mirror images by more than the square root of the dtype's unit roundoff times the
     * largest absolute entry is rejected; within that tolerance only the lower triangle is used.
     */
    public static SymmetricEigen of(Tensor a) {
        String op = "SymmetricEigen";
        double[] data = Matrices.squareCopy(op, a);
        int n = a.dim(0);
        Matrices.requireSymmetric(op, data, n, Matrices.symmetryTolerance(a.dtype()));
        return decompose(data, n, a.dtype());
    }

    /**
     * Decomposes the symmetric matrix whose lower triangle is given by the row-major n x n
     * array {@code a} (the upper triangle is not read; {@code a} is not modified).
     */
    public static SymmetricEigen ofLowerTriangle(double[] a, int n) {
        Matrices.requireLength("SymmetricEigen.ofLowerTriangle", "a", a, n, n);
        Matrices.requireFiniteLowerTriangle("SymmetricEigen.ofLowerTriangle", a, n);
        return decompose(a, n, DType.F64);
    }

    private static SymmetricEigen decompose(double[] a, int n, DType dtype) {
        double maxAbs = Matrices.maxAbsLowerTriangle(a, n);
        if (maxAbs == 0) {
            return new SymmetricEigen(n, dtype, new double[n], Matrices.identity(n));
        }
        // A power of two, so scaling and unscaling are exact.
        double scale = Math.scalb(1.0, Math.getExponent(maxAbs));
        double[][] rows = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i * n + j] / scale;
                rows[i][j] = v;
                rows[j][i] = v;
            }
        }
        HouseholderTridiagonalization t = HouseholderTridiagonalization.reduceInPlace(rows);
        double[] values = t.diagonal;
        double[] vectors = TridiagonalDivideAndConquer.diagonalize(values, t.offDiagonal);
        t.applyBasis(vectors);
        for (int j = 0; j < n; j++) {
            values[j] *= scale;
        }
        return new SymmetricEigen(n, dtype, values, vectors);
    }

    /** The matrix is size x size. */
    public int size() {
        return n;
    }

    /** The eigenvalues in ascending order, shape [n], in the input's dtype. */
    public Tensor eigenvalues() {
        return Matrices.tensor(eigenvalues.clone(), dtype, Shape.of(n));
    }

    /** Q, shape [n, n], in the input's dtype: column j is the unit eigenvector of eigenvalue j. */
    public Tensor eigenvectors() {
        return Matrices.tensor(eigenvectors.clone(), dtype, Shape.of(n, n));
    }

    /** Eigenvalue j (ascending order), in F64. */
    public double eigenvalue(int j) {
        return eigenvalues[j];
    }

    /**
     * Q diag(f(w)) Q^T in the input's dtype, computed in F64 and exactly symmetric: for example
     * the inverse with the eigenvalues clamped from below,
     * {@code mapEigenvalues(w -> 1 / Math.max(w, floor))}.
     */
    public Tensor mapEigenvalues(DoubleUnaryOperator f) {
        double[] scaledColumns = new double[n * n];
        for (int j = 0; j < n; j++) {
            double fj = f.applyAsDouble(eigenvalues[j]);
            for (int i = 0; i < n; i++) {
                scaledColumns[i * n + j] = eigenvectors[i * n + j] * fj;
            }
        }
        double[] result = new double[n * n];
        Kernels.active().f64().gemm(false, false, n, n, n, 1.0, scaledColumns, 0, n,
                Matrices.transpose(eigenvectors, n, n), 0, n, 0.0, result, 0, n);
        Matrices.symmetrizeInPlace(result, n);
        return Matrices.tensor(result, dtype, Shape.of(n, n));
    }
}
