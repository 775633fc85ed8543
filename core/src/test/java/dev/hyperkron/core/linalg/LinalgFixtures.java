package dev.hyperkron.core.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Test matrices with known structure (random orthogonal bases, prescribed spectra, LDL^T
 * factors) and the plain-loop arithmetic the properties check results with. Everything is
 * row-major double[] like the code under test, and deterministic in the seed.
 */
final class LinalgFixtures {
    static final double EPS = Math.ulp(1.0);

    private LinalgFixtures() {
    }

    static double[] gaussian(int rows, int cols, Random random) {
        double[] g = new double[rows * cols];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
        }
        return g;
    }

    /** A Haar-like random orthogonal matrix: modified Gram-Schmidt, run twice, on Gaussian rows. */
    static double[] randomOrthogonal(int n, Random random) {
        double[] q = gaussian(n, n, random);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                int row = i * n;
                for (int k = 0; k < i; k++) {
                    int other = k * n;
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        dot += q[row + j] * q[other + j];
                    }
                    for (int j = 0; j < n; j++) {
                        q[row + j] -= dot * q[other + j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < n; j++) {
                    norm += q[row + j] * q[row + j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < n; j++) {
                    q[row + j] /= norm;
                }
            }
        }
        return q;
    }

    /** Q diag(w) Q^T for a random orthogonal Q, made exactly symmetric. */
    static double[] withEigenvalues(double[] w, Random random) {
        int n = w.length;
        double[] q = randomOrthogonal(n, random);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * w[k] * q[j * n + k];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    /** Eigenvalues spaced geometrically from 1 to {@code condition}, in random order. */
    static double[] geometricSpectrum(int n, double condition, Random random) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = n == 1 ? 1 : Math.pow(condition, (double) i / (n - 1));
        }
        shuffle(w, random);
        return w;
    }

    /** An SPD matrix with condition number {@code condition}. */
    static double[] spd(int n, double condition, Random random) {
        return withEigenvalues(geometricSpectrum(n, condition, random), random);
    }

    /** A symmetric matrix with independent Gaussian entries on and below the diagonal. */
    static double[] randomSymmetric(int n, Random random) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = random.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    /**
     * L D L^T with L unit lower triangular (small random entries below the diagonal): its
     * Cholesky pivots (squared) are exactly the entries of d, so a first non-positive d[k]
     * is where Cholesky must stop.
     */
    static double[] fromLdl(double[] d, Random random) {
        int n = d.length;
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            l[i * n + i] = 1;
            for (int j = 0; j < i; j++) {
                l[i * n + j] = 0.3 * random.nextGaussian() / Math.sqrt(n);
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) {
                    s += l[i * n + k] * d[k] * l[j * n + k];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    /** The rows x cols product of a (rows x inner) and b (inner x cols). */
    static double[] multiply(double[] a, double[] b, int rows, int inner, int cols) {
        double[] c = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i * inner + k];
                for (int j = 0; j < cols; j++) {
                    c[i * cols + j] += aik * b[k * cols + j];
                }
            }
        }
        return c;
    }

    /** a b^T for a (rows x inner) and b (cols x inner). */
    static double[] multiplyTransposed(double[] a, double[] b, int rows, int inner, int cols) {
        return multiply(a, Matrices.transpose(b, cols, inner), rows, inner, cols);
    }

    static double maxAbs(double[] a) {
        return Matrices.maxAbs(a);
    }

    static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** max |A X - B| over (max|A| max|X| n + max|B|): small for any backward-stable solve. */
    static double relativeResidual(double[] a, double[] x, double[] b, int n, int columns) {
        double[] ax = multiply(a, x, n, n, columns);
        return maxAbsDifference(ax, b) / (maxAbs(a) * maxAbs(x) * n + maxAbs(b));
    }

    static double[] identity(int n) {
        return Matrices.identity(n);
    }

    static Tensor tensor(double[] a, int rows, int cols) {
        return Tensor.of(a, rows, cols);
    }

    static DMatrixRMaj ejml(double[] a, int rows, int cols) {
        return new DMatrixRMaj(rows, cols, true, a);
    }

    /** Fails unless {@code actual <= limit}, naming the quantity and both numbers. */
    static void assertAtMost(double actual, double limit, String what) {
        assertTrue(actual <= limit, () -> what + " is " + actual + ", above the limit " + limit);
    }

    /** Fails unless the message contains every fragment. */
    static void assertMessageContains(Throwable thrown, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(thrown.getMessage().contains(fragment),
                    () -> "message \"" + thrown.getMessage() + "\" lacks \"" + fragment + "\"");
        }
    }

    private static void shuffle(double[] w, Random random) {
        for (int i = w.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = w[i];
            w[i] = w[j];
            w[j] = t;
        }
    }
}
