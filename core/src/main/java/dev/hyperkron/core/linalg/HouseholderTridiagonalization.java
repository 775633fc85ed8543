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
 * <p>The matrix is held as separate row arrays with the trailing block in full (both
 * triangles), and every vector is indexed by absolute column, so each inner loop reads and
 * writes the same index of distinct arrays: the shape the JIT vectorizes. Work splits over
 * threads by column slices, which does not change the result.
 */
final class HouseholderTridiagonalization {
    /** Reflections applied to the basis together, as one compact WY block. */
    private static final int REFLECTORS_PER_BLOCK = 32;
    /** Multiply-adds per worker below which a loop is not split further. */
    private static final long PARALLEL_WORK = 1L << 15;

    /** The diagonal of T. */
    final double[] diagonal;
    /** The off-diagonal of T: offDiagonal[i] = T[i][i + 1], length max(n - 1, 0). */
    final double[] offDiagonal;
    /** Row k holds reflection k's vector from column k + 1 on (the reduced matrix's rows). */
    private final double[][] vectors;
    private final double[] tau;

    private HouseholderTridiagonalization(double[] diagonal, double[] offDiagonal, double[][] vectors, double[] tau) {
        this.diagonal = diagonal;
        this.offDiagonal = offDiagonal;
        this.vectors = vectors;
        this.tau = tau;
    }

    /**
     * Reduces the symmetric n x n matrix given by its rows (both triangles are read), overwriting
     * them. The product S v that reflection k + 1 needs is summed in the same pass over the
     * trailing matrix that applies reflection k (its first row is updated and reflected first),
     * so each step streams the trailing matrix through memory once instead of twice.
     */
    static HouseholderTridiagonalization reduceInPlace(double[][] a) {
        int n = a.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(n - 1, 0)];
        double[] tau = new double[Math.max(n - 1, 0)];
        double[] w = new double[n];
        double[] nextProduct = new double[n];
        boolean productReady = false;
        if (n > 2) {
            tau[0] = reflectRow(a[0], 0, offDiagonal);
        }
        for (int k = 0; k + 2 < n; k++) {
            int first = k + 1;
            boolean nextStep = k + 3 < n;
            if (tau[k] == 0) {
                if (nextStep) {
                    tau[first] = reflectRow(a[first], first, offDiagonal);
                }
                productReady = false;
                continue;
            }
            if (!productReady) {
                product(a, k, w);
            }
            finishRankTwoVector(a[k], first, tau[k], w);
            updateRow(a[first], a[k], w, first);
            if (nextStep) {
                tau[first] = reflectRow(a[first], first, offDiagonal);
                productReady = tau[first] != 0;
                updateAndMultiply(a, k, w, productReady ? nextProduct : null);
                double[] t = w;
                w = nextProduct;
                nextProduct = t;
            } else {
                updateAndMultiply(a, k, w, null);
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
        }
        if (n >= 2) {
            offDiagonal[n - 2] = a[n - 2][n - 1];
        }
        return new HouseholderTridiagonalization(diagonal, offDiagonal, a, tau);
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

    /** w[c] = sum over rows r > k of v[r] S[r][c] for the trailing matrix S and v in row k, by column slices. */
    private static void product(double[][] a, int k, double[] w) {
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
    }

    /** Turns w = S v into p - (tau/2)(p.v) v with p = tau S v, so that H S H = S - v w^T - w v^T. */
    private static void finishRankTwoVector(double[] v, int first, double tau, double[] w) {
        int n = v.length;
        double pv = 0;
        for (int c = first; c < n; c++) {
            w[c] *= tau;
            pv += w[c] * v[c];
        }
        double correction = 0.5 * tau * pv;
        for (int c = first; c < n; c++) {
            w[c] -= correction * v[c];
        }
    }

    /** Row r of S -= v[r] w^T + w[r] v^T, from column r on. */
    private static void updateRow(double[] row, double[] v, double[] w, int r) {
        int n = row.length;
        double vr = v[r];
        double wr = w[r];
        for (int c = r; c < n; c++) {
            row[c] -= vr * w[c] + wr * v[c];
        }
    }

    /**
     * The rank-2 update of reflection k (v in row k) on rows past k + 1, from column k + 2 on,
     * the only part later steps read; with {@code product} non-null, also sums into it S' v' for
     * the next reflection (v' in row k + 1, already updated and reflected) from each row right
     * after updating it. Split by column slices, so every sum runs over rows in the same order
     * whatever the thread count.
     */
    private static void updateAndMultiply(double[][] a, int k, double[] w, double[] product) {
        int n = a.length;
        int from0 = k + 2;
        int m = n - from0;
        double[] v = a[k];
        double[] next = a[k + 1];
        Parallel.forRange(m, minSlice(m), (from, to) -> {
            int c0 = from0 + from;
            int c1 = from0 + to;
            if (product != null) {
                Arrays.fill(product, c0, c1, 0.0);
            }
            for (int r = from0; r < n; r++) {
                double[] row = a[r];
                double vr = v[r];
                double wr = w[r];
                double nr = next[r];
                if (product == null || nr == 0) {
                    for (int c = c0; c < c1; c++) {
                        row[c] -= vr * w[c] + wr * v[c];
                    }
                } else {
                    for (int c = c0; c < c1; c++) {
                        double updated = row[c] - (vr * w[c] + wr * v[c]);
                        row[c] = updated;
                        product[c] += nr * updated;
                    }
                }
            }
        });
    }

    /**
     * X := Q X for the row-major n x n matrix x, where Q = H_0 H_1 ... H_{n-3}: the eigenvectors
     * of T become those of A. Applied as X := B X for blocks B = H_k0 ... H_{k1-1} from the last
     * block back; each block is I - V T V^T in compact WY form (T upper triangular), so applying
     * it is three GEMMs instead of one rank-1 pass over X per reflection. B only changes rows
     * past k0.
     */
    void applyBasis(double[] x) {
        int n = vectors.length;
        TypedKernels<double[]> kernels = Kernels.active().f64();
        for (int k1 = n - 2; k1 > 0; k1 -= REFLECTORS_PER_BLOCK) {
            applyBlock(kernels, vectors, tau, x, Math.max(0, k1 - REFLECTORS_PER_BLOCK), k1);
        }
    }

    /** X[k0+1.., :] := (I - V T V^T) X[k0+1.., :] for reflections k0..k1-1. */
    private static void applyBlock(TypedKernels<double[]> kernels, double[][] a, double[] tau, double[] x, int k0, int k1) {
        int n = a.length;
        int nb = k1 - k0;
        int first = k0 + 1;
        int m = n - first;
        // V [m, nb]: column j is reflection k0 + j's vector, which starts at row k0 + j + 1.
        double[] v = new double[m * nb];
        for (int j = 0; j < nb; j++) {
            double[] row = a[k0 + j];
            for (int r = k0 + j + 1; r < n; r++) {
                v[(r - first) * nb + j] = row[r];
            }
        }
        double[] t = triangularFactor(v, m, nb, tau, k0);
        double[] w = new double[nb * n];
        double[] tw = new double[nb * n];
        int at = first * n;
        kernels.gemm(true, false, nb, n, m, 1.0, v, 0, nb, x, at, n, 0.0, w, 0, n);
        kernels.gemm(false, false, nb, n, nb, 1.0, t, 0, nb, w, 0, n, 0.0, tw, 0, n);
        kernels.gemm(false, false, m, n, nb, -1.0, v, 0, nb, tw, 0, n, 1.0, x, at, n);
    }

    /**
     * T with H_k0 ... H_{k0+nb-1} = I - V T V^T: T[j][j] = tau_j and, column by column,
     * T[0:j, j] = -tau_j T[0:j, 0:j] V[:, 0:j]^T v_j. A reflection with tau = 0 contributes
     * nothing whatever its vector holds.
     */
    private static double[] triangularFactor(double[] v, int m, int nb, double[] tau, int k0) {
        double[] t = new double[nb * nb];
        double[] z = new double[nb];
        for (int j = 0; j < nb; j++) {
            double tj = tau[k0 + j];
            t[j * nb + j] = tj;
            if (tj == 0) {
                continue;
            }
            Arrays.fill(z, 0, j, 0.0);
            for (int r = 0; r < m; r++) {
                double vrj = v[r * nb + j];
                if (vrj != 0) {
                    for (int i = 0; i < j; i++) {
                        z[i] += v[r * nb + i] * vrj;
                    }
                }
            }
            for (int i = 0; i < j; i++) {
                double sum = 0;
                for (int l = i; l < j; l++) {
                    sum += t[i * nb + l] * z[l];
                }
                t[i * nb + j] = -tj * sum;
            }
        }
        return t;
    }

    /** Columns per worker so that each gets at least PARALLEL_WORK multiply-adds over rows of this length. */
    private static int minSlice(int lineLength) {
        return (int) Math.max(1, PARALLEL_WORK / Math.max(1, lineLength));
    }
}
