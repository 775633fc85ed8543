package dev.hyperkron.core.linalg;

import static dev.hyperkron.core.linalg.LinalgFixtures.EPS;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertAtMost;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.ShapeException;
import dev.hyperkron.core.Tensor;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

class CholeskyProperties {

    @Example
    void choleskyAgreesWithEjmlAcrossPanelAndUpdateStripBoundaries() {
        for (int n : new int[] {255, 256, 257, 320, 513, 700}) {
            double[] a = LinalgFixtures.spd(n, 1e4, new Random(n));
            CholeskyDecomposition_F64<DMatrixRMaj> oracle = DecompositionFactory_DDRM.chol(n, true);
            assertTrue(oracle.decompose(LinalgFixtures.ejml(a, n, n)));
            double[] expected = oracle.getT(null).getData();

            double[] l = Cholesky.decompose(LinalgFixtures.tensor(a, n, n)).lower().toDoubleArray();

            assertAtMost(LinalgFixtures.maxAbsDifference(l, expected), 100 * n * EPS * 1e2 * LinalgFixtures.maxAbs(expected),
                    "max |L - L_ejml| for n = " + n);
        }
    }

    @Property(tries = 40)
    void choleskyReconstructsSpdMatricesWithALowerTriangularPositiveDiagonalFactor(
            @ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll @DoubleRange(min = 0, max = 10) double log10Condition, @ForAll long seed) {
        double[] a = LinalgFixtures.spd(n, Math.pow(10, log10Condition), new Random(seed));

        double[] l = Cholesky.decompose(LinalgFixtures.tensor(a, n, n)).lower().toDoubleArray();

        for (int i = 0; i < n; i++) {
            assertTrue(l[i * n + i] > 0, "diagonal entry " + i + " is " + l[i * n + i]);
            for (int j = i + 1; j < n; j++) {
                assertEquals(0.0, l[i * n + j], "entry above the diagonal at (" + i + ", " + j + ")");
            }
        }
        double[] llt = LinalgFixtures.multiplyTransposed(l, l, n, n, n);
        assertAtMost(LinalgFixtures.maxAbsDifference(llt, a), 10 * n * EPS * LinalgFixtures.maxAbs(a),
                "max |L L^T - A|");
    }

    @Property(tries = 30)
    void choleskyAgreesWithEjml(@ForAll @IntRange(min = 1, max = 200) int n,
                                @ForAll @DoubleRange(min = 0, max = 6) double log10Condition, @ForAll long seed) {
        double[] a = LinalgFixtures.spd(n, Math.pow(10, log10Condition), new Random(seed));
        CholeskyDecomposition_F64<DMatrixRMaj> oracle = DecompositionFactory_DDRM.chol(n, true);
        assertTrue(oracle.decompose(LinalgFixtures.ejml(a, n, n)));
        double[] expected = oracle.getT(null).getData();

        double[] l = Cholesky.decompose(LinalgFixtures.tensor(a, n, n)).lower().toDoubleArray();

        // L is unique; rounding perturbs it by about sqrt(condition) times the unit roundoff.
        double tolerance = 100 * n * EPS * Math.pow(10, log10Condition / 2) * LinalgFixtures.maxAbs(expected);
        assertAtMost(LinalgFixtures.maxAbsDifference(l, expected), tolerance, "max |L - L_ejml|");
    }

    @Property(tries = 40)
    void indefiniteMatrixFailsAtTheFirstNonPositivePivotWithItsValue(
            @ForAll @IntRange(min = 1, max = 150) int n, @ForAll @IntRange(min = 0, max = 149) int rawPivot,
            @ForAll @DoubleRange(min = -3, max = -0.01) double pivotValue, @ForAll long seed) {
        Random random = new Random(seed);
        int pivot = rawPivot % n;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i == pivot ? pivotValue : 0.5 + random.nextDouble();
        }
        double[] a = LinalgFixtures.fromLdl(d, random);

        Cholesky.Result result = Cholesky.tryDecompose(LinalgFixtures.tensor(a, n, n));

        assertFalse(result.isPositiveDefinite());
        assertEquals(pivot, result.failedPivot());
        assertEquals(pivotValue, result.failedPivotValue(), 1e-10);
    }

    @Example
    void blockBoundariesReconstructAndFailAtTheRightPivot() {
        for (int n : new int[] {63, 64, 65, 128, 129, 200}) {
            Random random = new Random(n);
            double[] a = LinalgFixtures.spd(n, 1e4, random);
            double[] l = Cholesky.decompose(LinalgFixtures.tensor(a, n, n)).lower().toDoubleArray();
            assertAtMost(LinalgFixtures.maxAbsDifference(LinalgFixtures.multiplyTransposed(l, l, n, n, n), a),
                    10 * n * EPS * LinalgFixtures.maxAbs(a), "max |L L^T - A| for n = " + n);
            for (int pivot : new int[] {n - 1, n / 2, Math.min(n - 1, Cholesky.BLOCK)}) {
                double[] d = new double[n];
                java.util.Arrays.fill(d, 1.0);
                d[pivot] = -0.25;
                Tensor indefinite = LinalgFixtures.tensor(LinalgFixtures.fromLdl(d, random), n, n);
                Cholesky.Result result = Cholesky.tryDecompose(indefinite);
                assertEquals(pivot, result.failedPivot(), "failed pivot for n = " + n);
                assertEquals(-0.25, result.failedPivotValue(), 1e-10);
            }
        }
    }

    @Example
    void failureThrowsWithPivotValueAndSizeInTheMessage() {
        Tensor a = Tensor.of(DType.F64, new double[][] {{4, 2, 0}, {2, 1, 0}, {0, 0, 1}});

        Cholesky.Result result = Cholesky.tryDecompose(a);

        assertEquals(1, result.failedPivot());
        assertEquals(0.0, result.failedPivotValue());
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class, result::factor);
        assertEquals(1, e.pivot());
        assertEquals(0.0, e.pivotValue());
        assertEquals(3, e.size());
        assertMessageContains(e, "3 x 3", "pivot 1", "0.0");
        assertEquals(e.getMessage(),
                assertThrows(NotPositiveDefiniteException.class, () -> Cholesky.decompose(a)).getMessage());
    }

    @Example
    void zeroAndNegativeDefiniteMatricesFailAtPivotZero() {
        assertEquals(0, Cholesky.tryDecompose(Tensor.zeros(DType.F64, 4, 4)).failedPivot());
        Cholesky.Result negative = Cholesky.tryDecompose(Tensor.eye(DType.F64, 3).mul(-2.0));
        assertEquals(0, negative.failedPivot());
        assertEquals(-2.0, negative.failedPivotValue());
    }

    @Example
    void successfulResultHasNoFailedPivot() {
        Cholesky.Result result = Cholesky.tryDecompose(Tensor.eye(DType.F64, 2));

        assertTrue(result.isPositiveDefinite());
        assertEquals(Tensor.eye(DType.F64, 2), result.factor().lower());
        assertThrows(IllegalStateException.class, result::failedPivot);
        assertThrows(IllegalStateException.class, result::failedPivotValue);
    }

    @Property(tries = 20)
    void f32InputIsFactoredInF64AndReturnsF32(@ForAll @IntRange(min = 1, max = 120) int n, @ForAll long seed) {
        double[] a = LinalgFixtures.spd(n, 100, new Random(seed));
        Tensor a32 = LinalgFixtures.tensor(a, n, n).cast(DType.F32);

        CholeskyFactor factor = Cholesky.decompose(a32);

        assertEquals(DType.F32, factor.dtype());
        assertEquals(DType.F32, factor.lower().dtype());
        assertEquals(Cholesky.decompose(a32.cast(DType.F64)).lower().cast(DType.F32), factor.lower());
    }

    @Example
    void f32MatrixWithRoundingAsymmetryIsAccepted() {
        Tensor a = Tensor.of(DType.F32, new double[][] {{2, 1 + 1e-7}, {1, 2}});

        assertTrue(Cholesky.tryDecompose(a).isPositiveDefinite());
    }

    @Example
    void inPlaceArrayVariantReadsOnlyTheLowerTriangle() {
        double[] a = {4, Double.NaN, 2, 5};

        Cholesky.Result result = Cholesky.tryDecomposeInPlace(a, 2);

        assertArrayEquals(new double[] {2, 0, 1, 2}, result.factor().lower().toDoubleArray());
        assertArrayEquals(new double[] {2, 0, 1, 2}, a);
        assertEquals(DType.F64, result.factor().dtype());
    }

    @Example
    void rejectsNonSquareNonFiniteNonSymmetricAndIntegerInput() {
        assertMessageContains(assertThrows(ShapeException.class,
                () -> Cholesky.decompose(Tensor.zeros(DType.F64, 2, 3))),
                "Cholesky", "square", "[2, 3]");
        assertMessageContains(assertThrows(ShapeException.class, () -> Cholesky.decompose(Tensor.zeros(DType.F64, 4))),
                "square", "[4]");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> Cholesky.decompose(Tensor.of(DType.F64, new double[][] {{1, 0}, {0, Double.NaN}}))),
                "Cholesky", "(1, 1)", "NaN", "finite");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> Cholesky.decompose(Tensor.of(DType.F64, new double[][] {{2, 1}, {0, 2}}))),
                "Cholesky", "not symmetric", "(1, 0)");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> Cholesky.decompose(Tensor.of(new int[] {1, 0, 0, 1}, 2, 2))), "Cholesky", "I32");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> Cholesky.tryDecomposeInPlace(new double[5], 2)), "5", "2 x 2");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> Cholesky.tryDecomposeInPlace(new double[] {1, 0, Double.POSITIVE_INFINITY, 1}, 2)),
                "(1, 0)", "Infinity");
    }

    @Example
    void emptyMatrixHasAnEmptyFactor() {
        CholeskyFactor factor = Cholesky.decompose(Tensor.zeros(DType.F64, 0, 0));

        assertEquals(0, factor.size());
        assertEquals(0.0, factor.logDeterminant());
    }
}
