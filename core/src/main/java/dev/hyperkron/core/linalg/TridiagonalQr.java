package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Parallel;

/**
 * Diagonalizes a symmetric tridiagonal matrix by implicit QR steps with Wilkinson shifts: the
 * leaves of {@link TridiagonalDivideAndConquer}, where it is faster than a merge. Each step chases a bulge down an unreduced block with
 * Givens rotations; off-diagonal entries that become negligible split the problem. The
 * rotations are also applied to the rows of a basis matrix, so that if it starts as the identity
 * it ends up holding the eigenvectors as rows.
 *
 * <p>The shift is Wilkinson's: the eigenvalue of the trailing 2 x 2 block closer to its last
 * diagonal entry, which gives (in practice cubic) convergence and never stalls on the
 * symmetric case.
 */
final class TridiagonalQr {
    /** Iteration budget per eigenvalue; QR with Wilkinson shifts needs about two. */
    private static final int MAX_STEPS_PER_EIGENVALUE = 30;
    /** QR steps whose rotations are queued before they are applied to the basis together. */
    private static final int STEPS_PER_BATCH = 32;
    /** Columns of the basis that one worker rotates through a whole batch while they stay in cache. */
    private static final int COLUMN_CHUNK = 64;

    private TridiagonalQr() {
    }

    /**
     * Replaces {@code d} (length n) by the eigenvalues, unsorted, destroys {@code e} (length
     * n - 1, e[i] = T[i][i+1]) and applies every rotation to the n rows (each of length n) of
     * {@code basis}.
     */
    static void diagonalize(double[] d, double[] e, double[][] basis) {
        int n = d.length;
        RotationQueue queue = new RotationQueue(basis);
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
            step(d, e, low, high, queue);
        }
        queue.flush();
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
    private static void step(double[] d, double[] e, int low, int high, RotationQueue queue) {
        int offset = queue.begin(low, high);
        double[] cosines = queue.cosines;
        double[] sines = queue.sines;
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
            cosines[offset + k - low] = c;
            sines[offset + k - low] = s;
        }
    }

    /** The eigenvalue of [[a, b], [b, c]] closer to c, in a form that does not cancel. */
    private static double wilkinsonShift(double a, double c, double b) {
        double delta = 0.5 * (a - c);
        double root = Math.hypot(delta, b);
        return c - b * b / (delta + (delta >= 0 ? root : -root));
    }

    /**
     * Rotations of several QR steps, applied to the basis in one pass over column chunks: the
     * tridiagonal iteration never reads the basis, so applying them late changes nothing, and a
     * chunk of every row stays in cache across all the queued steps instead of the whole basis
     * streaming through memory once per step.
     */
    private static final class RotationQueue {
        /** Separate arrays per row, so the JIT can vectorize the rotation of two rows. */
        private final double[][] basis;
        private final int n;
        final double[] cosines;
        final double[] sines;
        private final int[] lows = new int[STEPS_PER_BATCH];
        private final int[] highs = new int[STEPS_PER_BATCH];
        private final int[] offsets = new int[STEPS_PER_BATCH];
        private int steps;
        private int rotations;

        RotationQueue(double[][] basis) {
            this.basis = basis;
            this.n = basis.length;
            this.cosines = new double[STEPS_PER_BATCH * Math.max(n - 1, 0)];
            this.sines = new double[cosines.length];
        }

        /** Reserves room for the rotations of a step on [low, high]; returns where they go. */
        int begin(int low, int high) {
            if (steps == STEPS_PER_BATCH) {
                flush();
            }
            lows[steps] = low;
            highs[steps] = high;
            offsets[steps] = rotations;
            steps++;
            rotations += high - low;
            return offsets[steps - 1];
        }

        void flush() {
            if (steps == 0) {
                return;
            }
            int chunks = (n + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
            int minChunks = (int) Math.max(1, (1L << 14) / ((long) rotations * COLUMN_CHUNK));
            Parallel.forRange(chunks, minChunks, (fromChunk, toChunk) -> {
                int from = fromChunk * COLUMN_CHUNK;
                int to = Math.min(n, toChunk * COLUMN_CHUNK);
                for (int step = 0; step < steps; step++) {
                    int offset = offsets[step] - lows[step];
                    for (int k = lows[step]; k < highs[step]; k++) {
                        rotate(basis[k], basis[k + 1], cosines[offset + k], sines[offset + k], from, to);
                    }
                }
            });
            steps = 0;
            rotations = 0;
        }

        /** (upper, lower) := (c upper + s lower, c lower - s upper) on columns [from, to). */
        private static void rotate(double[] upper, double[] lower, double c, double s, int from, int to) {
            for (int j = from; j < to; j++) {
                double u = upper[j];
                double l = lower[j];
                upper[j] = c * u + s * l;
                lower[j] = c * l - s * u;
            }
        }
    }
}
