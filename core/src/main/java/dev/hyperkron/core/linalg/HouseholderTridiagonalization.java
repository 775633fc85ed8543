package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Parallel;

/**
 * Reduces a symmetric matrix to tridiagonal form, A = Q T Q^T, by n - 2 Householder
 * reflections: the first phase of {@link SymmetricEigen}. Reflection k, H = I - tau v v^T with
 * v[0] = 1, maps the part of row k right of the diagonal onto its first coordinate and is
 * applied to both sides of the trailing matrix as one symmetric rank-2 update.
 *
 * <p>Everything is row-major and row-oriented, and the trailing matrix is kept in full (both
 * triangles), so every loop walks contiguous rows and splits over threads by rows.
 */
final class HouseholderTridiagonalization {
    /** Multiply-adds per worker below which a row loop is not split further. */
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
        return new HouseholderTridiagonalization(diagonal, offDiagonal, accumulateBasis(a, n, tau));
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
     * p = tau S v, w = p - (tau/2)(p.v) v, S -= v w^T + w v^T.
     */
    private static void applyToTrailingMatrix(double[] a, int n, int k, double tau, double[] p) {
        int first = k + 1;
        int m = n - first;
        int v = k * n + first;
        int minRows = minRows(m);
        Parallel.forRange(m, minRows, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = (first + r) * n + first;
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += a[row + j] * a[v + j];
                }
                p[r] = tau * s;
            }
        });
        double pv = 0;
        for (int j = 0; j < m; j++) {
            pv += p[j] * a[v + j];
        }
        double correction = 0.5 * tau * pv;
        for (int j = 0; j < m; j++) {
            p[j] -= correction * a[v + j];
        }
        Parallel.forRange(m, minRows, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = (first + r) * n + first;
                double vr = a[v + r];
                double wr = p[r];
                for (int j = 0; j < m; j++) {
                    a[row + j] -= vr * p[j] + wr * a[v + j];
                }
            }
        });
    }

    /**
     * Q^T = H_{n-3} ... H_0 (each H is symmetric), built as I H_{n-3} ... H_0 from the
     * vectors left in the rows of {@code a}. Multiplying by H_k on the right only changes
     * rows and columns past k, so each step touches just the trailing block.
     */
    private static double[] accumulateBasis(double[] a, int n, double[] tau) {
        double[] q = Matrices.identity(n);
        for (int k = n - 3; k >= 0; k--) {
            if (tau[k] == 0) {
                continue;
            }
            int first = k + 1;
            int m = n - first;
            int v = k * n + first;
            double t = tau[k];
            Parallel.forRange(m, minRows(m), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int row = (first + r) * n + first;
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += q[row + j] * a[v + j];
                    }
                    s *= t;
                    for (int j = 0; j < m; j++) {
                        q[row + j] -= s * a[v + j];
                    }
                }
            });
        }
        return q;
    }

    private static int minRows(int rowLength) {
        return (int) Math.max(1, PARALLEL_WORK / Math.max(1, rowLength));
    }
}
