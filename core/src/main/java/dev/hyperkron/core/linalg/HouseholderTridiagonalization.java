package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Parallel;
import java.util.Arrays;

/**
 * Reduces a symmetric matrix to tridiagonal form, A = Q T Q^T, by n - 2 Householder
 * reflections: the first phase of {@link SymmetricEigen}. Reflection k, H = I - tau v v^T with
 * v[0] = 1, maps the part of row k right of the diagonal onto its first coordinate and is
 * applied to both sides of the trailing matrix as one symmetric rank-2 update.
 *
 * <p>The matrix is held as separate row arrays with the trailing block in full (both
 * triangles), and every vector is indexed by absolute column, so each inner loop reads and
 * writes the same index of distinct arrays: the shape the JIT vectorizes. Work splits over
 * threads by rows or by column slices, which does not change the result.
 */
final class HouseholderTridiagonalization {
    /** Multiply-adds per worker below which a loop is not split further. */
    private static final long PARALLEL_WORK = 1L << 15;

    /** The diagonal of T. */
    final double[] diagonal;
    /** The off-diagonal of T: offDiagonal[i] = T[i][i + 1], length max(n - 1, 0). */
    final double[] offDiagonal;
    /** The rows of Q^T (the columns of Q): the basis in which A is tridiagonal. */
    final double[][] basisTransposed;

    private HouseholderTridiagonalization(double[] diagonal, double[] offDiagonal, double[][] basisTransposed) {
        this.diagonal = diagonal;
        this.offDiagonal = offDiagonal;
        this.basisTransposed = basisTransposed;
    }

    /** Reduces the symmetric n x n matrix given by its rows (both triangles are read), overwriting them. */
    static HouseholderTridiagonalization reduceInPlace(double[][] a) {
        int n = a.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(n - 1, 0)];
        double[] tau = new double[Math.max(n - 1, 0)];
        double[] w = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            tau[k] = reflectRow(a[k], k, offDiagonal);
            if (tau[k] != 0) {
                applyToTrailingMatrix(a, k, tau[k], w);
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
        }
        if (n >= 2) {
            offDiagonal[n - 2] = a[n - 2][n - 1];
        }
        return new HouseholderTridiagonalization(diagonal, offDiagonal, basisTransposed(a, tau));
    }

    /**
     * Turns x = row[k+1..n-1] into the Householder vector v (stored in place, v[0] = 1),
     * records beta = (H x)[0] as T[k][k+1] and returns tau (0 when x is already a multiple of
     * e1 and H = I).
     */
    private static double reflectRow(double[] row, int k, double[] offDiagonal) {
        int n = row.length;
        int first = k + 1;
        double x0 = row[first];
        double scale = 0;
        for (int i = first + 1; i < n; i++) {
            scale = Math.max(scale, Math.abs(row[i]));
        }
        if (scale == 0) {
            offDiagonal[k] = x0;
            return 0;
        }
        // Norm of a scaled copy, so that squares neither overflow nor underflow.
        scale = Math.max(scale, Math.abs(x0));
        double squares = 0;
        for (int i = first; i < n; i++) {
            double t = row[i] / scale;
            squares += t * t;
        }
        double norm = scale * Math.sqrt(squares);
        double beta = x0 >= 0 ? -norm : norm;
        double divisor = x0 - beta;
        for (int i = first + 1; i < n; i++) {
            row[i] /= divisor;
        }
        row[first] = 1;
        offDiagonal[k] = beta;
        return (beta - x0) / beta;
    }

    /**
     * S := H S H for the trailing matrix S = a[k+1.., k+1..], with v in row k:
     * p = tau S v, w = p - (tau/2)(p.v) v, S -= v w^T + w v^T. S v is summed from scaled rows
     * of S (S is symmetric), so both passes are axpy-shaped.
     */
    private static void applyToTrailingMatrix(double[][] a, int k, double tau, double[] w) {
        int n = a.length;
        int first = k + 1;
        int m = n - first;
        double[] v = a[k];
        Parallel.forRange(m, minSlice(m), (from, to) -> {
            int c0 = first + from;
            int c1 = first + to;
            Arrays.fill(w, c0, c1, 0.0);
            for (int r = first; r < n; r++) {
                double vr = v[r];
                if (vr != 0) {
                    double[] row = a[r];
                    for (int c = c0; c < c1; c++) {
                        w[c] += vr * row[c];
                    }
                }
            }
        });
        double pv = 0;
        for (int c = first; c < n; c++) {
            w[c] *= tau;
            pv += w[c] * v[c];
        }
        double correction = 0.5 * tau * pv;
        for (int c = first; c < n; c++) {
            w[c] -= correction * v[c];
        }
        Parallel.forRange(m, minSlice(m), (from, to) -> {
            for (int r = first + from; r < first + to; r++) {
                double[] row = a[r];
                double vr = v[r];
                double wr = w[r];
                for (int c = first; c < n; c++) {
                    row[c] -= vr * w[c] + wr * v[c];
                }
            }
        });
    }

    /**
     * The columns of Q = H_0 H_1 ... H_{n-3}, accumulated as H_0 (H_1 (... H_{n-3})) from the
     * vectors left in the rows of {@code a}. Multiplying by H_k on the left only changes rows
     * and columns past k, and every column slice of that block independently:
     * Y := Y - tau v (v^T Y).
     */
    private static double[][] basisTransposed(double[][] a, double[] tau) {
        int n = a.length;
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
        }
        double[] vty = new double[n];
        for (int k = n - 3; k >= 0; k--) {
            if (tau[k] == 0) {
                continue;
            }
            int first = k + 1;
            double[] v = a[k];
            double t = tau[k];
            Parallel.forRange(n - first, minSlice(n - first), (from, to) -> {
                int c0 = first + from;
                int c1 = first + to;
                Arrays.fill(vty, c0, c1, 0.0);
                for (int r = first; r < n; r++) {
                    double vr = v[r];
                    double[] row = q[r];
                    for (int c = c0; c < c1; c++) {
                        vty[c] += vr * row[c];
                    }
                }
                for (int r = first; r < n; r++) {
                    double scaled = t * v[r];
                    double[] row = q[r];
                    for (int c = c0; c < c1; c++) {
                        row[c] -= scaled * vty[c];
                    }
                }
            });
        }
        double[][] columns = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                columns[j][i] = q[i][j];
            }
        }
        return columns;
    }

    /** Rows or columns per worker so that each gets at least PARALLEL_WORK multiply-adds over lines of this length. */
    private static int minSlice(int lineLength) {
        return (int) Math.max(1, PARALLEL_WORK / Math.max(1, lineLength));
    }
}
