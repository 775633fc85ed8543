package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Parallel;

/**
 * Diagonalizes a symmetric tridiagonal matrix by implicit QR steps with Wilkinson shifts: the
 * second phase of {@link SymmetricEigen}. Each step chases a bulge down an unreduced block with
 * Givens rotations; off-diagonal entries that become negligible split the problem. The
 * rotations are also applied to the rows of a basis matrix, so that if it holds Q^T from the
 * tridiagonalization it ends up holding the eigenvectors as rows.
 *
 * <p>The shift is Wilkinson's: the eigenvalue of the trailing 2 x 2 block closer to its last
 * diagonal entry, which gives (in practice cubic) convergence and never stalls on the
 * symmetric case.
 */
final class TridiagonalQr {
    /** Iteration budget per eigenvalue; QR with Wilkinson shifts needs about two. */
    private static final int MAX_STEPS_PER_EIGENVALUE = 30;
    /** Columns of the basis that one worker rotates at a time. */
    private static final int COLUMN_CHUNK = 256;

    private TridiagonalQr() {
    }

    /**
     * Replaces {@code d} (length n) by the eigenvalues, unsorted, destroys {@code e} (length
     * n - 1, e[i] = T[i][i+1]) and applies every rotation to the rows of the row-major n x n
     * matrix {@code basis}.
     */
    static void diagonalize(double[] d, double[] e, double[] basis, int n) {
        double[] cosines = new double[n];
        double[] sines = new double[n];
        int budget = MAX_STEPS_PER_EIGENVALUE * Math.max(n, 1);
        int high = n - 1;
        while (high > 0) {
            if (negligible(d, e, high - 1)) {
                e[high - 1] = 0;
                high--;
                continue;
            }
            int low = high - 1;
            while (low > 0 && !negligible(d, e, low - 1)) {
                low--;
            }
            if (budget-- == 0) {
                throw new ArithmeticException("SymmetricEigen: the implicit QR iteration did not converge within "
                        + MAX_STEPS_PER_EIGENVALUE * n + " steps for a " + n + " x " + n
                        + " matrix (unreduced block " + low + ".." + high + ")");
            }
            step(d, e, low, high, cosines, sines);
            rotateRows(basis, n, low, high, cosines, sines);
        }
    }

    /** Whether e[i] is below rounding relative to its two diagonal neighbours (or underflows). */
    private static boolean negligible(double[] d, double[] e, int i) {
        double off = Math.abs(e[i]);
        return off <= Math.ulp(1.0) * (Math.abs(d[i]) + Math.abs(d[i + 1])) || off < Double.MIN_NORMAL;
    }

    /**
     * One implicit shifted QR step on the unreduced block [low, high]: T := G^T T G with
     * G = G_low ... G_{high-1}, rotation k acting on coordinates (k, k+1) as [[c, -s], [s, c]].
     * The first rotation is the one the explicit step (T - mu I) = QR would start with; the
     * rest return the matrix to tridiagonal form by chasing the bulge T[k+1][k-1] downwards.
     */
    private static void step(double[] d, double[] e, int low, int high, double[] cosines, double[] sines) {
        double x = d[low] - wilkinsonShift(d[high - 1], d[high], e[high - 1]);
        double z = e[low];
        for (int k = low; k < high; k++) {
            double r = Math.hypot(x, z);
            double c = r == 0 ? 1 : x / r;
            double s = r == 0 ? 0 : z / r;
            if (k > low) {
                e[k - 1] = r;
            }
            double a = d[k];
            double b = e[k];
            double dd = d[k + 1];
            double cs = c * s;
            d[k] = c * c * a + 2 * cs * b + s * s * dd;
            d[k + 1] = s * s * a - 2 * cs * b + c * c * dd;
            e[k] = cs * (dd - a) + (c * c - s * s) * b;
            if (k + 1 < high) {
                z = s * e[k + 1];
                e[k + 1] *= c;
                x = e[k];
            }
            cosines[k] = c;
            sines[k] = s;
        }
    }

    /** The eigenvalue of [[a, b], [b, c]] closer to c, in a form that does not cancel. */
    private static double wilkinsonShift(double a, double c, double b) {
        double delta = 0.5 * (a - c);
        double root = Math.hypot(delta, b);
        return c - b * b / (delta + (delta >= 0 ? root : -root));
    }

    /** Applies the step's rotations to rows low..high of the basis, column chunks in parallel. */
    private static void rotateRows(double[] basis, int n, int low, int high, double[] cosines, double[] sines) {
        int chunks = (n + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        int minChunks = (int) Math.max(1, (1L << 14) / ((long) (high - low) * COLUMN_CHUNK));
        Parallel.forRange(chunks, minChunks, (fromChunk, toChunk) -> {
            int from = fromChunk * COLUMN_CHUNK;
            int to = Math.min(n, toChunk * COLUMN_CHUNK);
            for (int k = low; k < high; k++) {
                double c = cosines[k];
                double s = sines[k];
                int upper = k * n;
                int lower = upper + n;
                for (int j = from; j < to; j++) {
                    double u = basis[upper + j];
                    double l = basis[lower + j];
                    basis[upper + j] = c * u + s * l;
                    basis[lower + j] = c * l - s * u;
                }
            }
        });
    }
}
