package dev.hyperkron.core.linalg;

import static dev.hyperkron.core.linalg.LinalgFixtures.EPS;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertAtMost;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
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

class SymmetricEigenProperties {

    /** Checks A = Q diag(w) Q^T, Q^T Q = I and ascending w, with tolerances relative to max|A|. */
    private static void assertValidDecomposition(double[] a, int n, SymmetricEigen eigen) {
        double[] w = eigen.eigenvalues().toDoubleArray();
        double[] q = eigen.eigenvectors().toDoubleArray();
        for (int i = 1; i < n; i++) {
            assertTrue(w[i - 1] <= w[i], "eigenvalues not ascending at " + i + ": " + w[i - 1] + " > " + w[i]);
        }
        double[] qw = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qw[i * n + j] = q[i * n + j] * w[j];
            }
        }
        double scale = Math.max(LinalgFixtures.maxAbs(a), Double.MIN_NORMAL);
        assertAtMost(LinalgFixtures.maxAbsDifference(LinalgFixtures.multiplyTransposed(qw, q, n, n, n), a),
                20 * n * EPS * scale, "max |Q diag(w) Q^T - A|");
        double[] qtq = LinalgFixtures.multiply(Matrices.transpose(q, n, n), q, n, n, n);
        assertAtMost(LinalgFixtures.maxAbsDifference(qtq, LinalgFixtures.identity(n)), 20 * n * EPS, "max |Q^T Q - I|");
    }

    private static double[] sorted(double[] w) {
        double[] s = w.clone();
        Arrays.sort(s);
        return s;
    }

    @Property(tries = 40)
    void randomSymmetricMatricesDecomposeIntoOrthonormalEigenvectorsAndAscendingEigenvalues(
            @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
        double[] a = LinalgFixtures.randomSymmetric(n, new Random(seed));

        assertValidDecomposition(a, n, SymmetricEigen.of(LinalgFixtures.tensor(a, n, n)));
    }

    @Example
    void largerMatricesAcrossBasisBlockBoundariesDecompose() {
        for (int n : new int[] {33, 34, 66, 257, 420}) {
            double[] a = LinalgFixtures.randomSymmetric(n, new Random(n));

            assertValidDecomposition(a, n, SymmetricEigen.of(LinalgFixtures.tensor(a, n, n)));
        }
    }

    @Property(tries = 30)
    void eigenvaluesAndEigenvectorsMatchEjmlForWellSeparatedSpectra(@ForAll @IntRange(min = 1, max = 200) int n,
                                                                    @ForAll long seed) {
        Random random = new Random(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = (i - n / 3.0) * (1 + 0.5 * random.nextDouble() / n);
        }
        double[] a = LinalgFixtures.withEigenvalues(w, random);
        EigenDecomposition_F64<DMatrixRMaj> oracle = DecompositionFactory_DDRM.eig(n, true, true);
        assertTrue(oracle.decompose(LinalgFixtures.ejml(a, n, n)));

        SymmetricEigen eigen = SymmetricEigen.of(LinalgFixtures.tensor(a, n, n));

        double[] values = eigen.eigenvalues().toDoubleArray();
        double[] vectors = eigen.eigenvectors().toDoubleArray();
        double[] separation = {Double.POSITIVE_INFINITY};
        for (int k = 0; k < n; k++) {
            double expected = oracle.getEigenvalue(k).getReal();
            int j = nearest(values, expected);
            assertEquals(expected, values[j], 20 * n * EPS * LinalgFixtures.maxAbs(w), "eigenvalue " + k);
            double[] expectedVector = oracle.getEigenVector(k).getData();
            double sign = 0;
            for (int i = 0; i < n; i++) {
                sign += expectedVector[i] * vectors[i * n + j];
            }
            for (int i = 0; i < n; i++) {
                // The gaps are at least 1 and |A| is about n, so the eigenvectors are determined to n * eps * n.
                assertEquals(Math.signum(sign) * expectedVector[i], vectors[i * n + j], 1e3 * n * n * EPS,
                        "eigenvector " + k + " entry " + i);
            }
        }
        assertArrayEquals(sorted(w), values, 20 * n * EPS * LinalgFixtures.maxAbs(w));
    }

    private static int nearest(double[] values, double target) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i] - target) < Math.abs(values[best] - target)) {
                best = i;
            }
        }
        return best;
    }

    @Property(tries = 30)
    void illConditionedSpectraAreRecoveredToRoundoffOfTheLargestEigenvalue(
            @ForAll @IntRange(min = 2, max = 200) int n, @ForAll @DoubleRange(min = 0, max = 16) double log10Span,
            @ForAll long seed) {
        Random random = new Random(seed);
        double[] w = LinalgFixtures.geometricSpectrum(n, Math.pow(10, log10Span), random);
        for (int i = 0; i < n; i++) {
            w[i] *= 1e-12;
        }
        double[] a = LinalgFixtures.withEigenvalues(w, random);

        SymmetricEigen eigen = SymmetricEigen.of(LinalgFixtures.tensor(a, n, n));

        assertArrayEquals(sorted(w), eigen.eigenvalues().toDoubleArray(), 20 * n * EPS * LinalgFixtures.maxAbs(w));
        assertValidDecomposition(a, n, eigen);
    }

    @Property(tries = 30)
    void repeatedEigenvaluesKeepAnOrthonormalBasisOfEachEigenspace(@ForAll @IntRange(min = 1, max = 150) int n,
                                                                   @ForAll long seed) {
        Random random = new Random(seed);
        double[] levels = {-2, 0, 0.5, 3};
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = levels[random.nextInt(random.nextBoolean() ? 2 : levels.length)];
        }
        double[] a = LinalgFixtures.withEigenvalues(w, random);

        SymmetricEigen eigen = SymmetricEigen.of(LinalgFixtures.tensor(a, n, n));

        assertArrayEquals(sorted(w), eigen.eigenvalues().toDoubleArray(), 20 * n * EPS * 3);
        assertValidDecomposition(a, n, eigen);
    }

    @Example
    void zeroMatrixHasZeroEigenvaluesAndTheIdentityAsEigenvectors() {
        SymmetricEigen eigen = SymmetricEigen.of(Tensor.zeros(DType.F64, 5, 5));

        assertEquals(Tensor.zeros(DType.F64, 5), eigen.eigenvalues());
        assertEquals(Tensor.eye(DType.F64, 5), eigen.eigenvectors());
    }

    @Example
    void diagonalMatrixHasItsSortedDiagonalAndUnitVectors() {
        double[] diagonal = {3, -1, 7, 0, -1e-9, 2};
        int n = diagonal.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = diagonal[i];
        }

        SymmetricEigen eigen = SymmetricEigen.of(LinalgFixtures.tensor(a, n, n));

        assertArrayEquals(sorted(diagonal), eigen.eigenvalues().toDoubleArray());
        double[] q = eigen.eigenvectors().toDoubleArray();
        for (int j = 0; j < n; j++) {
            int source = -1;
            for (int i = 0; i < n; i++) {
                if (diagonal[i] == eigen.eigenvalue(j)) {
                    source = i;
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i == source ? 1.0 : 0.0, Math.abs(q[i * n + j]), "Q[" + i + "][" + j + "]");
            }
        }
    }

    @Example
    void oneByOneAndEmptyMatrices() {
        SymmetricEigen one = SymmetricEigen.of(Tensor.of(DType.F64, new double[][] {{-4}}));
        assertEquals(Tensor.of(new double[] {-4}), one.eigenvalues());
        assertEquals(Tensor.of(DType.F64, new double[][] {{1}}), one.eigenvectors());

        SymmetricEigen empty = SymmetricEigen.of(Tensor.zeros(DType.F64, 0, 0));
        assertEquals(Shape.of(0), empty.eigenvalues().shape());
        assertEquals(Shape.of(0, 0), empty.eigenvectors().shape());
    }

    @Example
    void classicMatricesWithKnownSpectra() {
        // All ones: rank one, eigenvalues 0 (n - 1 times) and n.
        int n = 40;
        double[] ones = new double[n * n];
        Arrays.fill(ones, 1.0);
        SymmetricEigen allOnes = SymmetricEigen.of(LinalgFixtures.tensor(ones, n, n));
        double[] expected = new double[n];
        expected[n - 1] = n;
        assertArrayEquals(expected, allOnes.eigenvalues().toDoubleArray(), 1e-12);
        assertValidDecomposition(ones, n, allOnes);

        // Zero diagonal, unit off-diagonal: eigenvalues 2 cos(k pi / (n + 1)).
        double[] path = new double[n * n];
        for (int i = 0; i + 1 < n; i++) {
            path[i * n + i + 1] = 1;
            path[(i + 1) * n + i] = 1;
        }
        double[] pathSpectrum = new double[n];
        for (int k = 1; k <= n; k++) {
            pathSpectrum[k - 1] = 2 * Math.cos(k * Math.PI / (n + 1));
        }
        SymmetricEigen pathEigen = SymmetricEigen.of(LinalgFixtures.tensor(path, n, n));
        assertArrayEquals(sorted(pathSpectrum), pathEigen.eigenvalues().toDoubleArray(), 1e-13);
        assertValidDecomposition(path, n, pathEigen);

        // Wilkinson's W21+: pairs of nearly equal eigenvalues, the largest 10.746194182903...
        int m = 21;
        double[] wilkinson = new double[m * m];
        for (int i = 0; i < m; i++) {
            wilkinson[i * m + i] = Math.abs(10 - i);
            if (i + 1 < m) {
                wilkinson[i * m + i + 1] = 1;
                wilkinson[(i + 1) * m + i] = 1;
            }
        }
        SymmetricEigen w21 = SymmetricEigen.of(LinalgFixtures.tensor(wilkinson, m, m));
        assertEquals(10.746194182903393, w21.eigenvalue(m - 1), 1e-13);
        assertEquals(10.746194182903322, w21.eigenvalue(m - 2), 1e-13);
        assertEquals(7.1e-14, w21.eigenvalue(m - 1) - w21.eigenvalue(m - 2), 1e-14, "gap of the closest pair");
        assertValidDecomposition(wilkinson, m, w21);
    }

    @Example
    void nonSymmetricInputIsRejectedAndTheArrayVariantReadsOnlyTheLowerTriangle() {
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(Tensor.of(DType.F64, new double[][] {{1, 2}, {2.001, 1}}))),
                "SymmetricEigen", "not symmetric", "(1, 0) = 2.001", "(0, 1) = 2.0");

        SymmetricEigen lower = SymmetricEigen.ofLowerTriangle(new double[] {2, Double.NaN, 1, 2}, 2);

        assertArrayEquals(new double[] {1, 3}, lower.eigenvalues().toDoubleArray(), 1e-15);
        SymmetricEigen hugeJunkAbove = SymmetricEigen.ofLowerTriangle(new double[] {2e-300, 1e300, 1e-300, 2e-300}, 2);
        assertArrayEquals(new double[] {1e-300, 3e-300}, hugeJunkAbove.eigenvalues().toDoubleArray(), 1e-314);
    }

    @Example
    void f32InputReturnsF32() {
        int n = 30;
        double[] a = LinalgFixtures.randomSymmetric(n, new Random(3));
        Tensor a32 = LinalgFixtures.tensor(a, n, n).cast(DType.F32);

        SymmetricEigen eigen = SymmetricEigen.of(a32);

        assertEquals(DType.F32, eigen.eigenvalues().dtype());
        assertEquals(DType.F32, eigen.eigenvectors().dtype());
        SymmetricEigen reference = SymmetricEigen.of(a32.cast(DType.F64));
        assertEquals(reference.eigenvalues().cast(DType.F32), eigen.eigenvalues());
    }

    @Property(tries = 20)
    void mapEigenvaluesWithTheReciprocalIsTheInverse(@ForAll @IntRange(min = 1, max = 100) int n, @ForAll long seed) {
        double[] a = LinalgFixtures.spd(n, 1e3, new Random(seed));
        Tensor matrix = LinalgFixtures.tensor(a, n, n);

        Tensor inverse = SymmetricEigen.of(matrix).mapEigenvalues(w -> 1 / w);

        assertTrue(inverse.allClose(Linalg.spdInverse(matrix), 1e-9, 1e-9));
    }

    @Example
    void clampingEigenvaluesGivesAPositiveDefiniteMatrix() {
        Tensor indefinite = Tensor.of(DType.F64, new double[][] {{1, 2}, {2, 1}});

        Tensor clamped = SymmetricEigen.of(indefinite).mapEigenvalues(w -> Math.max(w, 0.5));

        assertArrayEquals(new double[] {0.5, 3}, SymmetricEigen.of(clamped).eigenvalues().toDoubleArray(), 1e-14);
        assertTrue(Cholesky.tryDecompose(clamped).isPositiveDefinite());
    }
}
