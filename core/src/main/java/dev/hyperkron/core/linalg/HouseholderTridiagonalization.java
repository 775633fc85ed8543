package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.Arrays;

/**
 * Reduces a symmetric matrix to tridiagonal form, A = Q T Q^T, by n - 2 Householder
 * reflections: the first phase of {@link SymmetricEigen}. Reflection k, H = I - tau v v^T with
 * v[0] = 1, maps the part of row k right of the diagonal onto its first coordinate and is
 * applied to both sides of the trailing matrix as one symmetric rank-2 update.
 *
 * <p>Everything is row-major and the trailing matrix is kept in full (both triangles), so every
 * inner loop is an axpy on a contiguous row slice (on the active kernels), and work splits over
 * threads by rows or column slices without changing the result.
 */
final class HouseholderTridiagonalization {
    /** Multiply-adds per worker below which a loop is not split further. */
    private static final long PARALLEL_WORK = 1L << 15;

    /** The diagonal of T. */
    final double[] diagonal;
    /** The off-diagonal of T: offDiagonal[i] = T[i][i + 1], length max(n - 1, 0). */
    final double[] offDiagonal;
    /** Q^T, row-major: its rows are the basis in which A is tridiagonal. */
    final double[] basisTransposed;

    private HouseholderTridiagonalization(double[] diagonal, double[] offDiagonal, double[] basisTransposed) {
        this.diagonal = diagonal;
        this.offDiagonal = offDiagonal;
        this.basisTransposed = basisTransposed;
    }

    /** Reduces the symmetric row-major n x n matrix {@code a} (both triangles are read), overwriting it. */
    static HouseholderTridiagonalization reduceInPlace(double[] a, int n) {
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(n - 1, 0)];
        double[] tau = new double[Math.max(n - 1, 0)];
        double[] p = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            tau[k] = reflectRow(a, n, k, offDiagonal);
            if (tau[k] != 0) {
                applyToTrailingMatrix(a, n, k, tau[k], p);
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i * n + i];
        }
        if (n >= 2) {
            offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
        }
        return new HouseholderTridiagonalization(diagonal, offDiagonal, accumulateBasisTransposed(a, n, tau));
    }

    /**
     * Turns x = a[k][k+1..n-1] into the Householder vector v (stored in place, v[0] = 1 implied
     * and written), records beta = H x's first coordinate as T[k][k+1] and returns tau (0 when x
     * is already a multiple of e1, H = I).
     */
    private static double reflectRow(double[] a, int n, int k, double[] offDiagonal) {
        int start = k * n + k + 1;
        int end = k * n + n;
        double x0 = a[start];
        double scale = 0;
        for (int i = start + 1; i < end; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
        }
        if (scale == 0) {
            offDiagonal[k] = x0;
            return 0;
        }
        // Norms of a scaled copy, so squares neither overflow nor underflow.
        scale = Math.max(scale, Math.abs(x0));
        double tailSquares = 0;
        for (int i = start + 1; i < end; i++) {
            double t = a[i] / scale;
            tailSquares += t * t;
        }
        double x0Scaled = x0 / scale;
        double norm = scale * Math.sqrt(x0Scaled * x0Scaled + tailSquares);
        double beta = x0 >= 0 ? -norm : norm;
        double tau = (beta - x0) / beta;
        double divisor = x0 - beta;
        for (int i = start + 1; i < end; i++) {
            a[i] /= divisor;
        }
        a[start] = 1;
        offDiagonal[k] = beta;
        return tau;
    }

    /**
     * S := H S H for the trailing matrix S = a[k+1.., k+1..], using v from row k:
     * p = tau S v, w = p - (tau/2)(p.v) v, S -= v w^T + w v^T. S v is formed as a sum of
     * scaled rows of S (S is symmetric), so every inner loop is an axpy on a contiguous slice.
     */
    private static void applyToTrailingMatrix(double[] a, int n, int k, double tau, double[] p) {
        TypedKernels<double[]> kernels = Kernels.active().f64();
        int first = k + 1;
        int m = n - first;
        int v = k * n + first;
        Parallel.forRange(m, minColumns(m), (from, to) -> {
            Arrays.fill(p, from, to, 0.0);
            for (int r = 0; r < m; r++) {
                double vr = a[v + r];
                if (vr != 0) {
                    kernels.axpy(vr, a, (first + r) * n + first + from, p, from, to - from);
                }
            }
        });
        double pv = tau * kernels.dot(p, 0, a, v, m);
        for (int j = 0; j < m; j++) {
            p[j] = tau * p[j] - 0.5 * tau * pv * a[v + j];
        }
        Parallel.forRange(m, minColumns(m), (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = (first + r) * n + first;
                kernels.axpy(-a[v + r], p, 0, a, row, m);
                kernels.axpy(-p[r], a, v, a, row, m);
            }
        });
    }

    /**
     * Q^T, where Q = H_0 H_1 ... H_{n-3} is accumulated as H_0 (H_1 (... H_{n-3})) from the
     * vectors left in the rows of {@code a}. Multiplying by H_k on the left only changes rows
     * and columns past k, and each column slice of that block is updated independently:
     * Y := Y - tau v (v^T Y), both steps axpys over rows.
     */
    private static double[] accumulateBasisTransposed(double[] a, int n, double[] tau) {
        TypedKernels<double[]> kernels = Kernels.active().f64();
        double[] q = Matrices.identity(n);
        double[] vty = new double[n];
        for (int k = n - 3; k >= 0; k--) {
            if (tau[k] == 0) {
                continue;
            }
            int first = k + 1;
            int m = n - first;
            int v = k * n + first;
            double t = tau[k];
            Parallel.forRange(m, minColumns(m), (from, to) -> {
                int c0 = first + from;
                int len = to - from;
                Arrays.fill(vty, c0, c0 + len, 0.0);
                for (int r = 0; r < m; r++) {
                    double vr = a[v + r];
                    if (vr != 0) {
                        kernels.axpy(vr, q, (first + r) * n + c0, vty, c0, len);
                    }
                }
                for (int r = 0; r < m; r++) {
                    double vr = a[v + r];
                    if (vr != 0) {
                        kernels.axpy(-t * vr, vty, c0, q, (first + r) * n + c0, len);
                    }
                }
            });
        }
        return Matrices.transpose(q, n, n);
    }

    /** Slice width that gives each worker at least PARALLEL_WORK multiply-adds over a column of the given height. */
    private static int minColumns(int height) {
        return (int) Math.max(1, PARALLEL_WORK / Math.max(1, height));
    }
}
