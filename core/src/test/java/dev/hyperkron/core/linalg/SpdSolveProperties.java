package dev.hyperkron.core.linalg;

import static dev.hyperkron.core.linalg.LinalgFixtures.EPS;
import static dev.hyperkron.core.linalg.LinalgFixtures.assertAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

class SpdSolveProperties {

    @Property(tries = 40)
    void spdSolveSatisfiesTheSystemAndMatchesEjml(@ForAll @IntRange(min = 1, max = 200) int n,
                                                 @ForAll @IntRange(min = 1, max = 80) int columns,
                                                 @ForAll @DoubleRange(min = 0, max = 10) double log10Condition,
                                                 @ForAll long seed) {
        Random random = new Random(seed);
        double[] a = LinalgFixtures.spd(n, Math.pow(10, log10Condition), random);
        double[] b = LinalgFixtures.gaussian(n, columns, random);

        double[] x = Linalg.spdSolve(LinalgFixtures.tensor(a, n, n), LinalgFixtures.tensor(b, n, columns))
                .toDoubleArray();

        assertAtMost(LinalgFixtures.relativeResidual(a, x, b, n, columns), 10 * EPS, "relative residual");
        LinearSolverDense<DMatrixRMaj> oracle = LinearSolverFactory_DDRM.chol(n);
        assertTrue(oracle.setA(LinalgFixtures.ejml(a, n, n)));
        DMatrixRMaj expected = new DMatrixRMaj(n, columns);
        oracle.solve(LinalgFixtures.ejml(b, n, columns), expected);
        // Both are backward stable, so they can differ by the condition number times the roundoff.
        double tolerance = 100 * n * EPS * Math.pow(10, log10Condition) * LinalgFixtures.maxAbs(expected.getData());
        assertAtMost(LinalgFixtures.maxAbsDifference(x, expected.getData()), tolerance, "max |X - X_ejml|");
    }

    @Property(tries = 30)
    void spdInverseTimesTheMatrixIsTheIdentity(@ForAll @IntRange(min = 1, max = 200) int n,
                                               @ForAll @DoubleRange(min = 0, max = 10) double log10Condition,
                                               @ForAll long seed) {
        double condition = Math.pow(10, log10Condition);
        double[] a = LinalgFixtures.spd(n, condition, new Random(seed));

        double[] inverse = Linalg.spdInverse(LinalgFixtures.tensor(a, n, n)).toDoubleArray();

        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(inverse[i * n + j], inverse[j * n + i], "symmetry at (" + i + ", " + j + ")");
            }
        }
        double[] product = LinalgFixtures.multiply(inverse, a, n, n, n);
        assertAtMost(LinalgFixtures.maxAbsDifference(product, LinalgFixtures.identity(n)), 100 * n * EPS * condition,
                "max |A^{-1} A - I|");
        assertAtMost(LinalgFixtures.relativeResidual(a, inverse, LinalgFixtures.identity(n), n, n), 10 * EPS,
                "relative residual of A X = I");
    }

    @Example
    void spdInverseAcrossBlockBoundaries() {
        for (int n : new int[] {63, 64, 65, 129, 200, 321, 577}) {
            double[] a = LinalgFixtures.spd(n, 1e3, new Random(n));

            double[] inverse = Cholesky.decompose(LinalgFixtures.tensor(a, n, n)).inverse().toDoubleArray();

            double[] product = LinalgFixtures.multiply(a, inverse, n, n, n);
            assertAtMost(LinalgFixtures.maxAbsDifference(product, LinalgFixtures.identity(n)),
                    100 * n * EPS * 1e3, "max |A A^{-1} - I| for n = " + n);
        }
    }

    @Property(tries = 30)
    void logDeterminantIsTheSumOfLogEigenvalues(@ForAll @IntRange(min = 1, max = 100) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] w = LinalgFixtures.geometricSpectrum(n, 1e6, random);
        double expected = 0;
        for (double v : w) {
            expected += Math.log(v);
        }

        double logDet = Cholesky.decompose(LinalgFixtures.tensor(LinalgFixtures.withEigenvalues(w, random), n, n))
                .logDeterminant();

        assertEquals(expected, logDet, 1e-8 * (1 + Math.abs(expected)));
    }

    @Example
    void f32SystemsReturnF32AndMatchTheF64Solution() {
        int n = 50;
        Random random = new Random(7);
        Tensor a = LinalgFixtures.tensor(LinalgFixtures.spd(n, 1e3, random), n, n).cast(DType.F32);
        Tensor b = LinalgFixtures.tensor(LinalgFixtures.gaussian(n, 1, random), n, 1).reshape(n).cast(DType.F32);

        Tensor x = Linalg.spdSolve(a, b);
        Tensor inverse = Linalg.spdInverse(a);

        assertEquals(DType.F32, x.dtype());
        assertEquals(Shape.of(n), x.shape());
        assertEquals(DType.F32, inverse.dtype());
        Tensor x64 = Linalg.spdSolve(a.cast(DType.F64), b.cast(DType.F64));
        assertEquals(x64.cast(DType.F32), x);
        assertTrue(inverse.matmul(b.reshape(n, 1)).reshape(n).allClose(x, 1e-4, 1e-4));
    }

    @Example
    void spdSolveOfAnIndefiniteMatrixThrows() {
        Tensor a = Tensor.of(DType.F64, new double[][] {{1, 2}, {2, 1}});

        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> Linalg.spdSolve(a, Tensor.ones(DType.F64, 2)));

        assertEquals(1, e.pivot());
        assertEquals(-3.0, e.pivotValue());
    }
}
