package dev.hyperkron.core.linalg;

import static dev.hyperkron.core.linalg.LinalgFixtures.EPS;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertAtMost;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The divide-and-conquer tridiagonal eigensolver on its own, on the matrices that exercise its
 * deflation: tiny and zero couplings, clusters and exactly repeated eigenvalues, Wilkinson's
 * nearly equal pairs, glued copies of them, and graded entries; sizes across the leaf size so
 * that one, two and several levels of merges run.
 */
class TridiagonalDivideAndConquerProperties {
    private static final int LEAF = TridiagonalDivideAndConquer.LEAF_SIZE;

    /**
     * Solves T (diagonal d, off-diagonal e) and checks ascending eigenvalues, T Z = Z diag(w) and
     * Z^T Z = I to tolerances relative to the largest entry of T; returns the eigenvalues.
     */
    private static double[] assertValidEigensystem(double[] d, double[] e) {
        int n = d.length;
        double[] w = d.clone();
        double[] z = TridiagonalDivideAndConquer.diagonalize(w, e.clone());
        for (int i = 1; i < n; i++) {
            assertTrue(w[i - 1] <= w[i], "eigenvalues not ascending at " + i + ": " + w[i - 1] + " > " + w[i]);
        }
        double scale = Math.max(LinalgFixtures.maxAbs(d), LinalgFixtures.maxAbs(e));
        double residual = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double tz = d[i] * z[i * n + j];
                if (i > 0) {
                    tz += e[i - 1] * z[(i - 1) * n + j];
                }
                if (i + 1 < n) {
                    tz += e[i] * z[(i + 1) * n + j];
                }
                residual = Math.max(residual, Math.abs(tz - z[i * n + j] * w[j]));
            }
        }
        assertAtMost(residual, 20 * n * EPS * Math.max(scale, Double.MIN_NORMAL), "max |T Z - Z diag(w)|");
        double[] ztz = LinalgFixtures.multiply(Matrices.transpose(z, n, n), z, n, n, n);
        assertAtMost(LinalgFixtures.maxAbsDifference(ztz, LinalgFixtures.identity(n)), 20 * n * EPS, "max |Z^T Z - I|");
        return w;
    }

    private static double[] ejmlEigenvalues(double[] d, double[] e) {
        int n = d.length;
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = d[i];
            if (i + 1 < n) {
                t[i * n + i + 1] = e[i];
                t[(i + 1) * n + i] = e[i];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> oracle = DecompositionFactory_DDRM.eig(n, false, true);
        assertTrue(oracle.decompose(LinalgFixtures.ejml(t, n, n)));
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = oracle.getEigenvalue(i).getReal();
        }
        Arrays.sort(values);
        return values;
    }

    private static void assertMatchesEjml(double[] d, double[] e) {
        double[] w = assertValidEigensystem(d, e);
        double scale = Math.max(LinalgFixtures.maxAbs(d), LinalgFixtures.maxAbs(e));
        assertArrayEquals(ejmlEigenvalues(d, e), w, 20 * d.length * EPS * scale);
    }

    @Property(tries = 40)
    void randomTridiagonalMatricesMatchEjml(@ForAll @IntRange(min = 1, max = 260) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] d = new double[n];
        double[] e = new double[Math.max(n - 1, 0)];
        for (int i = 0; i < n; i++) {
            d[i] = random.nextGaussian();
        }
        for (int i = 0; i + 1 < n; i++) {
            e[i] = random.nextGaussian();
        }

        assertMatchesEjml(d, e);
    }

    @Property(tries = 30)
    void couplingsAtOrBelowRoundoffDeflate(@ForAll @IntRange(min = LEAF + 1, max = 200) int n,
                                            @ForAll @DoubleRange(min = 8, max = 40) double log10Smallness,
                                            @ForAll long seed) {
        Random random = new Random(seed);
        double[] d = new double[n];
        double[] e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = random.nextInt(5) - 2 + random.nextGaussian() * 1e-3;
        }
        double tiny = Math.pow(10, -log10Smallness);
        for (int i = 0; i + 1 < n; i++) {
            int kind = random.nextInt(3);
            e[i] = kind == 0 ? 0 : kind == 1 ? tiny * random.nextGaussian() : random.nextGaussian();
        }

        assertMatchesEjml(d, e);
    }

    @Property(tries = 30)
    void clustersAndRepeatedEigenvaluesKeepAnOrthonormalBasis(@ForAll @IntRange(min = LEAF + 1, max = 200) int n,
                                                              @ForAll @DoubleRange(min = 6, max = 18) double log10InverseSpread,
                                                              @ForAll long seed) {
        // A tridiagonal reduction of a matrix with few distinct eigenvalues: D&C sees many poles
        // that coincide to roundoff and merges them by rotations.
        Random random = new Random(seed);
        // Two levels apart by 1e-6 down to roundoff, and from 1e-17 on exactly equal.
        double spread = log10InverseSpread > 17 ? 0 : Math.pow(10, -log10InverseSpread);
        double[] levels = {-1, 0.25, 0.25 + spread, 2};
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = levels[random.nextInt(levels.length)];
        }
        double[][] rows = new double[n][];
        double[] a = LinalgFixtures.withEigenvalues(w, random);
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(a, i * n, (i + 1) * n);
        }
        HouseholderTridiagonalization t = HouseholderTridiagonalization.reduceInPlace(rows);

        double[] values = assertValidEigensystem(t.diagonal, t.offDiagonal);

        Arrays.sort(w);
        assertArrayEquals(w, values, 20 * n * EPS * 2);
    }

    @Example
    void constantDiagonalWithZeroCouplingsIsItsOwnEigenbasis() {
        int n = 3 * LEAF + 5;
        double[] d = new double[n];
        Arrays.fill(d, 0.75);
        double[] e = new double[n - 1];

        double[] w = d.clone();
        double[] z = TridiagonalDivideAndConquer.diagonalize(w, e.clone());

        assertArrayEquals(d, w);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1.0 : 0.0, Math.abs(z[i * n + j]), "Z[" + i + "][" + j + "]");
            }
        }
    }

    @Example
    void gluedWilkinsonMatricesWithTheirCloseEigenvaluePairs() {
        // Copies of W21+ glued by small couplings: clusters of nearly equal eigenvalues across
        // the halves of every merge, the classic hard case for divide and conquer.
        for (double glue : new double[] {1e-14, 1e-8, 1e-3}) {
            int copies = 10;
            int m = 21;
            int n = copies * m;
            double[] d = new double[n];
            double[] e = new double[n - 1];
            for (int c = 0; c < copies; c++) {
                for (int i = 0; i < m; i++) {
                    d[c * m + i] = Math.abs(10 - i);
                    if (i + 1 < m) {
                        e[c * m + i] = 1;
                    } else if (c + 1 < copies) {
                        e[c * m + i] = glue;
                    }
                }
            }

            assertMatchesEjml(d, e);
        }
    }

    @Property(tries = 20)
    void gradedEntriesAcrossManyOrdersOfMagnitude(@ForAll @IntRange(min = LEAF + 1, max = 160) int n,
                                                  @ForAll @DoubleRange(min = 0, max = 15) double log10Span,
                                                  @ForAll long seed) {
        Random random = new Random(seed);
        double ratio = Math.pow(10, -log10Span / n);
        double[] d = new double[n];
        double[] e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = Math.pow(ratio, i) * (1 + random.nextDouble());
            if (i + 1 < n) {
                e[i] = Math.pow(ratio, i + 0.5) * random.nextGaussian();
            }
        }

        assertMatchesEjml(d, e);
    }

    @Example
    void sizesAroundTheLeafSizeAndItsMultiples() {
        for (int n : new int[] {1, 2, LEAF - 1, LEAF, LEAF + 1, 2 * LEAF, 2 * LEAF + 1, 4 * LEAF + 3}) {
            Random random = new Random(n);
            double[] d = new double[n];
            double[] e = new double[Math.max(n - 1, 0)];
            for (int i = 0; i < n; i++) {
                d[i] = random.nextGaussian();
                if (i + 1 < n) {
                    e[i] = random.nextGaussian();
                }
            }

            assertMatchesEjml(d, e);
        }
    }

    @Property(tries = 40)
    void secularRootsInterlaceThePolesAndSolveTheEquation(@ForAll @IntRange(min = 1, max = 60) int k,
                                                          @ForAll @DoubleRange(min = -3, max = 3) double log10Rho,
                                                          @ForAll long seed) {
        Random random = new Random(seed);
        double rho = Math.pow(10, log10Rho);
        double[] d = new double[k];
        double[] w = new double[k];
        double pole = -1;
        double norm = 0;
        for (int j = 0; j < k; j++) {
            pole += 1e-6 + random.nextDouble();
            d[j] = pole;
            w[j] = (random.nextBoolean() ? 1 : -1) * (1e-6 + random.nextDouble());
            norm += w[j] * w[j];
        }
        double[] differences = new double[k * k];
        for (int i = 0; i < k; i++) {
            double lambda = SecularEquation.root(d, w, rho, i, differences, i * k);

            assertTrue(lambda > d[i], "root " + i + " = " + lambda + " not above its pole " + d[i]);
            if (i + 1 < k) {
                assertTrue(lambda < d[i + 1], "root " + i + " = " + lambda + " >= the next pole " + d[i + 1]);
            } else {
                // The bound d + rho |w|^2, up to the rounding of its own evaluation.
                double bound = d[k - 1] + rho * norm;
                assertTrue(lambda <= bound + 4 * EPS * Math.abs(bound), "last root " + lambda + " > " + bound);
            }
            double value = 1 / rho;
            double magnitude = 1 / rho;
            for (int j = 0; j < k; j++) {
                assertEquals(d[j] - lambda, differences[i * k + j], 4 * EPS * (Math.abs(d[j]) + Math.abs(lambda)),
                        "d_" + j + " - lambda_" + i);
                value += w[j] * w[j] / differences[i * k + j];
                magnitude += Math.abs(w[j] * w[j] / differences[i * k + j]);
            }
            assertAtMost(Math.abs(value), 100 * k * EPS * magnitude, "|secular function at root " + i + "|");
        }
    }
}
