package dev.hyperkron.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import org.junit.jupiter.api.Test;

/** The one-call facade on a small SPD matrix whose factors are known in closed form. */
class LinalgTest {
    // A = L L^T with L = [[2, 0], [1, 3]].
    private final Tensor a = Tensor.of(DType.F64, new double[][] {{4, 2}, {2, 10}});

    @Test
    void choleskyReturnsTheLowerFactor() {
        assertEquals(Tensor.of(DType.F64, new double[][] {{2, 0}, {1, 3}}), Linalg.cholesky(a));
    }

    @Test
    void spdAndGeneralSolvesAndInversesAgree() {
        Tensor b = Tensor.of(new double[] {6, 12});
        Tensor expected = Tensor.of(new double[] {1, 1});

        assertTrue(Linalg.spdSolve(a, b).allClose(expected, 0, 1e-15));
        assertTrue(Linalg.solve(a, b).allClose(expected, 0, 1e-15));
        Tensor inverse = Tensor.of(DType.F64, new double[][] {{10.0 / 36, -2.0 / 36}, {-2.0 / 36, 4.0 / 36}});
        assertTrue(Linalg.spdInverse(a).allClose(inverse, 0, 1e-16));
        assertTrue(Linalg.inverse(a).allClose(inverse, 0, 1e-16));
    }

    @Test
    void solveTriangularUsesTheCholeskyFactor() {
        Tensor l = Linalg.cholesky(a);

        Tensor y = Linalg.solveTriangular(l, Triangle.LOWER, false, Tensor.of(new double[] {6, 12}));
        Tensor x = Linalg.solveTriangular(l, Triangle.LOWER, true, y);

        assertEquals(Tensor.of(new double[] {3, 3}), y);
        assertEquals(Tensor.of(new double[] {1, 1}), x);
    }

    @Test
    void eighGivesAscendingEigenvalues() {
        // Eigenvalues of [[4, 2], [2, 10]]: 7 -+ sqrt(13).
        assertArrayEquals(new double[] {7 - Math.sqrt(13), 7 + Math.sqrt(13)},
                Linalg.eigh(a).eigenvalues().toDoubleArray(), 1e-14);
    }
}
