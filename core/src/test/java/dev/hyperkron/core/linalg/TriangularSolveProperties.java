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

class TriangularSolveProperties {

    /** A triangular matrix with diagonal entries of magnitude 1..2 (either sign) and junk of size junk outside. */
    private static double[] triangular(int n, Triangle triangle, double junk, Random random) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean inTriangle = triangle == Triangle.LOWER ? j <= i : j >= i;
                if (i == j) {
                    t[i * n + j] = (1 + random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
                } else if (inTriangle) {
                    t[i * n + j] = random.nextGaussian() / Math.sqrt(n);
                } else {
                    t[i * n + j] = junk * random.nextGaussian();
                }
            }
        }
        return t;
    }

    /** op(T) as a full matrix with the unused triangle zeroed. */
    private static double[] effectiveMatrix(double[] t, int n, Triangle triangle, boolean transpose) {
        double[] clean = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean inTriangle = triangle == Triangle.LOWER ? j <= i : j >= i;
                clean[i * n + j] = inTriangle ? t[i * n + j] : 0;
            }
        }
        return transpose ? Matrices.transpose(clean, n, n) : clean;
    }

    @Property(tries = 60)
    void solutionSatisfiesTheSystemAndMatchesEjml(@ForAll @IntRange(min = 1, max = 200) int n,
                                                  @ForAll @IntRange(min = 1, max = 70) int columns,
                                                  @ForAll Triangle triangle, @ForAll boolean transpose,
                                                  @ForAll long seed) {
        Random random = new Random(seed);
        double[] t = triangular(n, triangle, 0, random);
        double[] b = LinalgFixtures.gaussian(n, columns, random);

        double[] x = TriangularSolve.solve(LinalgFixtures.tensor(t, n, n), triangle, transpose,
                LinalgFixtures.tensor(b, n, columns)).toDoubleArray();

        double[] op = effectiveMatrix(t, n, triangle, transpose);
        assertAtMost(LinalgFixtures.relativeResidual(op, x, b, n, columns), 10 * EPS, "relative residual");
        DMatrixRMaj expected = new DMatrixRMaj(n, columns);
        assertTrue(CommonOps_DDRM.solve(LinalgFixtures.ejml(op, n, n), LinalgFixtures.ejml(b, n, columns), expected));
        assertAtMost(LinalgFixtures.maxAbsDifference(x, expected.getData()), 1e-9 * LinalgFixtures.maxAbs(x),
                "max |X - X_ejml|");
    }

    @Property(tries = 30)
    void theOtherTriangleIsNeverRead(@ForAll @IntRange(min = 1, max = 150) int n, @ForAll Triangle triangle,
                                     @ForAll boolean transpose, @ForAll long seed) {
        double[] withJunk = triangular(n, triangle, 1000, new Random(seed));
        double[] clean = effectiveMatrix(withJunk, n, triangle, false);
        double[] b = LinalgFixtures.gaussian(n, 3, new Random(seed + 1));
        double[] x = b.clone();
        double[] y = b.clone();

        TriangularSolve.solveInPlace(triangle, transpose, withJunk, n, x, 3);
        TriangularSolve.solveInPlace(triangle, transpose, clean, n, y, 3);

        assertArrayEquals(y, x);
    }

    @Example
    void vectorRightHandSideKeepsItsShape() {
        Tensor l = Tensor.of(DType.F64, new double[][] {{2, 0}, {1, 4}});

        Tensor x = TriangularSolve.solve(l, Triangle.LOWER, false, Tensor.of(new double[] {2, 9}));
        Tensor y = TriangularSolve.solve(l, Triangle.LOWER, true, Tensor.of(new double[] {3, 8}));

        assertEquals(Tensor.of(new double[] {1, 2}), x);
        assertEquals(Tensor.of(new double[] {0.5, 2}), y);
    }

    @Example
    void f32InputReturnsF32() {
        Tensor u = Tensor.of(DType.F32, new double[][] {{2, 1}, {0, 4}});

        Tensor x = TriangularSolve.solve(u, Triangle.UPPER, false, Tensor.of(new float[] {3, 4, 4, 4}, 2, 2));

        assertEquals(DType.F32, x.dtype());
        assertEquals(Shape.of(2, 2), x.shape());
        assertArrayEquals(new float[] {1, 1.5f, 1, 1}, x.toFloatArray());
    }

    @Example
    void zeroOnTheDiagonalIsSingular() {
        Tensor l = Tensor.of(DType.F64, new double[][] {{1, 0, 0}, {1, 0, 0}, {1, 1, 1}});

        SingularMatrixException e = assertThrows(SingularMatrixException.class,
                () -> TriangularSolve.solve(l, Triangle.LOWER, false, Tensor.ones(DType.F64, 3)));

        assertEquals(1, e.pivot());
        assertMessageContains(e, "3 x 3", "index 1");
    }

    @Example
    void mismatchedRightHandSidesAreRejected() {
        Tensor l = Tensor.eye(DType.F64, 3);

        assertMessageContains(assertThrows(ShapeException.class,
                () -> TriangularSolve.solve(l, Triangle.LOWER, false, Tensor.ones(DType.F64, 4))), "[3]", "[4]");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> TriangularSolve.solve(l, Triangle.LOWER, false, Tensor.ones(DType.F32, 3))), "F64", "F32");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> TriangularSolve.solveInPlace(Triangle.LOWER, false, new double[9], 3, new double[5], 2)),
                "b", "5", "3 x 2");
    }
}
