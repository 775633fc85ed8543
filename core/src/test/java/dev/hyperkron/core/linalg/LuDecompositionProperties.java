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
import dev.hyperkron.core.ShapeException;
import dev.hyperkron.core.Tensor;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

class LuDecompositionProperties {

    @Property(tries = 40)
    void solveSatisfiesTheSystemAndMatchesEjml(@ForAll @IntRange(min = 1, max = 200) int n,
                                               @ForAll @IntRange(min = 1, max = 40) int columns, @ForAll long seed) {
        Random random = new Random(seed);
        double[] a = LinalgFixtures.gaussian(n, n, random);
        double[] b = LinalgFixtures.gaussian(n, columns, random);

        double[] x = Linalg.solve(LinalgFixtures.tensor(a, n, n), LinalgFixtures.tensor(b, n, columns)).toDoubleArray();

        assertAtMost(LinalgFixtures.relativeResidual(a, x, b, n, columns), 10 * EPS, "relative residual");
        DMatrixRMaj expected = new DMatrixRMaj(n, columns);
        assertTrue(CommonOps_DDRM.solve(LinalgFixtures.ejml(a, n, n), LinalgFixtures.ejml(b, n, columns), expected));
        // Gaussian matrices of this size have condition numbers far below 1e6 but for a vanishing fraction.
        assertAtMost(LinalgFixtures.maxAbsDifference(x, expected.getData()), 1e-7 * LinalgFixtures.maxAbs(x),
                "max |X - X_ejml|");
    }

    @Property(tries = 30)
    void inverseOfAnIndefiniteSymmetricMatrixTimesTheMatrixIsTheIdentity(@ForAll @IntRange(min = 1, max = 200) int n,
                                                                         @ForAll long seed) {
        Random random = new Random(seed);
        double[] w = LinalgFixtures.geometricSpectrum(n, 1e4, random);
        for (int i = 0; i < n; i += 2) {
            w[i] = -w[i];
        }
        double[] a = LinalgFixtures.withEigenvalues(w, random);

        double[] inverse = Linalg.inverse(LinalgFixtures.tensor(a, n, n)).toDoubleArray();

        double[] product = LinalgFixtures.multiply(inverse, a, n, n, n);
        assertAtMost(LinalgFixtures.maxAbsDifference(product, LinalgFixtures.identity(n)), 100 * n * EPS * 1e4,
                "max |A^{-1} A - I|");
        DMatrixRMaj expected = LinalgFixtures.ejml(a, n, n);
        assertTrue(CommonOps_DDRM.invert(expected));
        assertAtMost(LinalgFixtures.maxAbsDifference(inverse, expected.getData()),
                100 * n * EPS * 1e4 * LinalgFixtures.maxAbs(inverse), "max |A^{-1} - A^{-1}_ejml|");
    }

    @Example
    void pivotingHandlesAZeroLeadingEntry() {
        Tensor a = Tensor.of(DType.F64, new double[][] {{0, 1}, {1, 0}});

        assertEquals(a, Linalg.inverse(a));
        assertEquals(Tensor.of(new double[] {5, 3}), Linalg.solve(a, Tensor.of(new double[] {3, 5})));
    }

    @Example
    void singularMatricesAreReportedWithTheColumnWhereEliminationStopped() {
        SingularMatrixException exact = assertThrows(SingularMatrixException.class,
                () -> LuDecomposition.of(Tensor.of(DType.F64, new double[][] {{1, 2, 3}, {2, 4, 6}, {1, 0, 1}})));
        assertEquals(2, exact.pivot());
        assertMessageContains(exact, "LuDecomposition", "3 x 3", "singular", "column 2");

        assertEquals(0, assertThrows(SingularMatrixException.class,
                () -> Linalg.inverse(Tensor.zeros(DType.F64, 3, 3))).pivot());

        // Rank n - 1 in floating point: the last pivot is rounding noise, not exactly zero.
        int n = 60;
        Random random = new Random(11);
        double[] w = LinalgFixtures.geometricSpectrum(n, 10, random);
        w[17] = 0;
        Tensor nearlySingular = LinalgFixtures.tensor(LinalgFixtures.withEigenvalues(w, random), n, n);
        assertThrows(SingularMatrixException.class, () -> Linalg.solve(nearlySingular, Tensor.ones(DType.F64, n)));
    }

    @Example
    void f32InputReturnsF32() {
        Tensor a = Tensor.of(DType.F32, new double[][] {{2, 1}, {4, 5}});

        Tensor x = Linalg.solve(a, Tensor.of(new float[] {4, 14}));
        Tensor inverse = Linalg.inverse(a);

        assertEquals(DType.F32, x.dtype());
        assertArrayEquals(new float[] {1, 2}, x.toFloatArray(), 1e-6f);
        assertEquals(Shape.of(2, 2), inverse.shape());
        assertArrayEquals(new float[] {5 / 6f, -1 / 6f, -4 / 6f, 2 / 6f}, inverse.toFloatArray(), 1e-6f);
    }

    @Example
    void rejectsNonSquareAndNonFiniteInput() {
        assertMessageContains(assertThrows(ShapeException.class, () -> Linalg.inverse(Tensor.zeros(DType.F64, 3, 2))),
                "LuDecomposition", "square", "[3, 2]");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> LuDecomposition.ofInPlace(new double[] {1, Double.POSITIVE_INFINITY, 0, 1}, 2)),
                "(0, 1)", "Infinity");
    }
}
