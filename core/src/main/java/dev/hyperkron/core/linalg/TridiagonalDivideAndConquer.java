package dev.hyperkron.core.linalg;

import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer:
 * the second phase of {@link SymmetricEigen}. Cutting T at its middle off-diagonal entry leaves
 * two tridiagonal halves and a rank-one term; once the halves are diagonalized (recursively,
 * small ones by {@link TridiagonalQr}), the eigenproblem of a diagonal matrix plus a rank-one
 * term is solved through its secular equation, and the eigenvectors of T are the halves'
 * eigenvectors times those of the rank-one problem: one matrix product per merge, which is
 * where almost all the work goes, instead of the rotation sweeps over the whole basis that QR
 * iteration needs.
 *
 * <p>Two things keep it accurate (Gu and Eisenstat, SIAM J. Matrix Anal. Appl. 16, 1995):
 * deflation, which takes out components of the rank-one vector below roundoff and merges
 * eigenvalues closer than roundoff by a rotation, so that the remaining poles are well
 * separated; and eigenvectors built not from the computed rank-one vector but from the one for
 * which the computed eigenvalues are exact (Loewner's formula), which makes them orthogonal
 * to working accuracy however close the eigenvalues are. Each root is found relative to its
 * nearer pole so that the differences the eigenvectors need carry full precision.
 */
final class TridiagonalDivideAndConquer {
    /** Problems up to this size go to implicit QR, which is faster there than a merge. */
    static final int LEAF_SIZE = 32;
    /** Multiples of the unit roundoff (relative to the merged matrix) below which a term deflates. */
    private static final double DEFLATION_ROUNDOFFS = 8;
    /** More iterations than the safeguarded root finder ever needs; a bracket halves at worst each time. */
    private static final int MAX_ROOT_ITERATIONS = 200;
    private static final double EPS = Math.ulp(1.0) / 2;
    /** Terms (divisions) per worker below which the roots are not split further. */
    private static final long PARALLEL_WORK = 1L << 14;

    private static final int TOP = 0;
    private static final int DENSE = 1;
    private static final int BOTTOM = 2;

    private final double[] d;
    private final double[] e;
    private final int n;
    /** Row-major n x n; the sub-problem on [lo, hi) keeps its eigenvectors in rows and columns lo..hi-1. */
    private final double[] z;
    private final TypedKernels<double[]> kernels = Kernels.active().f64();

    private TridiagonalDivideAndConquer(double[] d, double[] e) {
        this.d = d;
        this.e = e;
        this.n = d.length;
        this.z = new double[n * n];
    }

    /**
     * Replaces {@code d} (length n) by the eigenvalues in ascending order, destroys {@code e}
     * (length n - 1, e[i] = T[i][i+1]) and returns the eigenvectors as the columns of a row-major
     * n x n matrix, column j for eigenvalue j. Entries of T should be of order one (the caller
     * scales), so that no intermediate overflows.
     */
    static double[] diagonalize(double[] d, double[] e) {
        TridiagonalDivideAndConquer solver = new TridiagonalDivideAndConquer(d, e);
        if (solver.n > 0) {
            solver.solve(0, solver.n);
        }
        return solver.z;
    }

    private void solve(int lo, int hi) {
        int size = hi - lo;
        if (size <= LEAF_SIZE) {
            leaf(lo, hi);
            return;
        }
        int mid = lo + size / 2;
        double coupling = e[mid - 1];
        double beta = Math.abs(coupling);
        // T = diag(T1', T2') + beta u u^T with u = e_{mid-1} + sign * e_mid.
        d[mid - 1] -= beta;
        d[mid] -= beta;
        solve(lo, mid);
        solve(mid, hi);
        merge(lo, mid, hi, beta, coupling < 0 ? -1 : 1);
    }

    /** Implicit QR on a small block, eigenpairs then sorted ascending into place. */
    private void leaf(int lo, int hi) {
        int size = hi - lo;
        double[] values = Arrays.copyOfRange(d, lo, hi);
        double[] off = Arrays.copyOfRange(e, lo, Math.max(lo, hi - 1));
        double[][] rows = new double[size][size];
        for (int i = 0; i < size; i++) {
            rows[i][i] = 1;
        }
        TridiagonalQr.diagonalize(values, off, rows);
        int[] order = ascendingOrder(values);
        for (int c = 0; c < size; c++) {
            d[lo + c] = values[order[c]];
            double[] vector = rows[order[c]];
            for (int r = 0; r < size; r++) {
                z[(lo + r) * n + lo + c] = vector[r];
            }
        }
    }

    /**
     * Merges the diagonalized halves [lo, mid) and [mid, hi): the block is Q diag(d) Q^T + beta
     * u u^T with Q block diagonal, i.e. Q (diag(d) + beta w w^T) Q^T for w = Q^T u, whose
     * entries are the last row of the upper half's eigenvectors and (times sign) the first row
     * of the lower half's.
     */
    private void merge(int lo, int mid, int hi, double beta, int sign) {
        int size = hi - lo;
        int upper = mid - lo;
        // Local column j of the block is global column lo + j; sorted[p] is the p-th smallest d.
        int[] sorted = mergedOrder(lo, upper, size);
        double[] w = new double[size];
        for (int j = 0; j < size; j++) {
            w[j] = j < upper ? z[(mid - 1) * n + lo + j] : sign * z[mid * n + lo + j];
        }
        // |w| = sqrt(2) in exact arithmetic; normalizing makes the deflation test scale-free.
        double norm = 0;
        for (double x : w) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < size; j++) {
            w[j] /= norm;
        }
        double rho = beta * norm * norm;
        double dMax = 0;
        for (int j = lo; j < hi; j++) {
            dMax = Math.max(dMax, Math.abs(d[j]));
        }
        double tol = DEFLATION_ROUNDOFFS * EPS * Math.max(dMax, rho);

        int[] type = new int[size];
        for (int j = 0; j < size; j++) {
            type[j] = j < upper ? TOP : BOTTOM;
        }
        // Deflation in ascending order of d: kept[] are the local columns that stay in the rank-one problem.
        boolean[] deflated = new boolean[size];
        int[] kept = new int[size];
        int k = 0;
        int previous = -1;
        for (int p = 0; p < size; p++) {
            int j = sorted[p];
            if (rho * Math.abs(w[j]) <= tol) {
                deflated[j] = true;
                continue;
            }
            if (previous >= 0 && closeEnoughToRotate(previous, j, lo, hi, w, tol)) {
                deflated[previous] = true;
                k--;
                if (type[previous] != type[j]) {
                    type[j] = DENSE;
                    type[previous] = DENSE;
                }
            }
            kept[k++] = j;
            previous = j;
        }
        double[] values = new double[size];
        double[] block = new double[size * size];
        if (k > 0) {
            solveRankOne(lo, mid, hi, kept, k, type, w, rho, values, block);
        }
        // The deflated columns keep their (possibly rotated) eigenvalues and vectors.
        int next = k;
        for (int j = 0; j < size; j++) {
            if (deflated[j]) {
                values[next] = d[lo + j];
                for (int r = 0; r < size; r++) {
                    block[r * size + next] = z[(lo + r) * n + lo + j];
                }
                next++;
            }
        }
        int[] order = ascendingOrder(values);
        for (int c = 0; c < size; c++) {
            d[lo + c] = values[order[c]];
        }
        for (int r = 0; r < size; r++) {
            int from = r * size;
            int to = (lo + r) * n + lo;
            for (int c = 0; c < size; c++) {
                z[to + c] = block[from + order[c]];
            }
        }
    }

    /**
     * Whether the poles of local columns i and j (i the smaller) are close enough that rotating
     * the two columns to zero w[i] perturbs the matrix by at most tol; if so, applies that
     * rotation to the columns, w and d, after which i deflates with its rotated eigenvalue.
     */
    private boolean closeEnoughToRotate(int i, int j, int lo, int hi, double[] w, double tol) {
        double radius = Math.hypot(w[i], w[j]);
        double c = w[j] / radius;
        double s = -w[i] / radius;
        double di = d[lo + i];
        double dj = d[lo + j];
        if (Math.abs((dj - di) * c * s) > tol) {
            return false;
        }
        w[j] = radius;
        w[i] = 0;
        d[lo + i] = di * c * c + dj * s * s;
        d[lo + j] = di * s * s + dj * c * c;
        for (int r = lo; r < hi; r++) {
            int at = r * n + lo;
            double x = z[at + i];
            double y = z[at + j];
            z[at + i] = c * x + s * y;
            z[at + j] = c * y - s * x;
        }
        return true;
    }

    /**
     * Solves diag(d_kept) + rho w w^T (rho > 0, poles well separated after deflation), writing
     * its eigenvalues to values[0..k) and the merged block's eigenvectors for them to columns
     * 0..k of block (size x size, row-major): the halves' eigenvectors times the rank-one
     * problem's, as two products that skip the zero blocks of the halves.
     */
    private void solveRankOne(int lo, int mid, int hi, int[] kept, int k, int[] type, double[] w, double rho,
                              double[] values, double[] block) {
        int size = hi - lo;
        int upper = mid - lo;
        double[] poles = new double[k];
        double[] weights = new double[k];
        for (int q = 0; q < k; q++) {
            poles[q] = d[lo + kept[q]];
            weights[q] = w[kept[q]];
        }
        // differences[i * k + j] = poles[j] - lambda_i, accurate because found relative to the nearer pole.
        double[] differences = new double[k * k];
        // Roots are independent: threads take ranges of them, which changes no result.
        Parallel.forRange(k, minRoots(k), (from, to) -> {
            for (int i = from; i < to; i++) {
                values[i] = SecularEquation.root(poles, weights, rho, i, differences, i * k);
            }
        });
        double[] exactWeights = loewnerWeights(poles, weights, rho, differences, k);
        // Rows of the rank-one eigenvector matrix, and columns of the halves' eigenvectors, in
        // the order [top-only, dense, bottom-only] so that each half multiplies a contiguous range.
        int[] byType = new int[k];
        int[] counts = new int[3];
        for (int q = 0; q < k; q++) {
            counts[type[kept[q]]]++;
        }
        int[] start = {0, counts[TOP], counts[TOP] + counts[DENSE]};
        for (int q = 0; q < k; q++) {
            byType[start[type[kept[q]]]++] = q;
        }
        double[] vectors = new double[k * k];
        Parallel.forRange(k, minRoots(k), (from, to) -> {
            for (int i = from; i < to; i++) {
                double sumSquares = 0;
                for (int q = 0; q < k; q++) {
                    double x = exactWeights[q] / differences[i * k + q];
                    sumSquares += x * x;
                }
                double scale = 1 / Math.sqrt(sumSquares);
                for (int row = 0; row < k; row++) {
                    int q = byType[row];
                    vectors[row * k + i] = exactWeights[q] / differences[i * k + q] * scale;
                }
            }
        });
        double[] halves = new double[size * k];
        for (int r = 0; r < size; r++) {
            int from = (lo + r) * n + lo;
            for (int col = 0; col < k; col++) {
                halves[r * k + col] = z[from + kept[byType[col]]];
            }
        }
        int topWidth = counts[TOP] + counts[DENSE];
        int bottomFrom = counts[TOP];
        kernels.gemm(false, false, upper, k, topWidth, 1.0, halves, 0, k, vectors, 0, k, 0.0, block, 0, size);
        kernels.gemm(false, false, size - upper, k, k - bottomFrom, 1.0, halves, upper * k + bottomFrom, k,
                vectors, bottomFrom * k, k, 0.0, block, upper * size, size);
    }

    /**
     * The rank-one vector for which the computed eigenvalues are exact (Loewner's formula), with
     * the signs of the given one: w_j^2 = (lambda_j - d_j)/rho * prod_{i != j} (lambda_i - d_j)
     * / (d_i - d_j), every factor from the accurate differences.
     */
    private static double[] loewnerWeights(double[] poles, double[] weights, double rho, double[] differences, int k) {
        double[] exact = new double[k];
        for (int j = 0; j < k; j++) {
            double product = -differences[j * k + j] / rho;
            for (int i = 0; i < k; i++) {
                if (i != j) {
                    product *= differences[i * k + j] / (poles[j] - poles[i]);
                }
            }
            exact[j] = Math.copySign(Math.sqrt(Math.max(product, 0)), weights[j]);
        }
        return exact;
    }

    /** Roots per worker so that each gets at least PARALLEL_WORK terms (each root costs a few passes over k). */
    private static int minRoots(int k) {
        return (int) Math.max(1, PARALLEL_WORK / Math.max(1, k));
    }

    /** Local columns of the block in ascending order of d: the two sorted halves merged. */
    private int[] mergedOrder(int lo, int upper, int size) {
        int[] order = new int[size];
        int a = 0;
        int b = upper;
        for (int p = 0; p < size; p++) {
            if (b == size || (a < upper && d[lo + a] <= d[lo + b])) {
                order[p] = a++;
            } else {
                order[p] = b++;
            }
        }
        return order;
    }

    private static int[] ascendingOrder(double[] values) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((x, y) -> Double.compare(values[x], values[y])).mapToInt(Integer::intValue).toArray();
    }
}
