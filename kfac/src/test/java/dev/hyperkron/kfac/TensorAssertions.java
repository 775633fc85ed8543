package dev.hyperkron.kfac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;

/** The two meanings of "close" that curvature and solver tests use, each under its own name. */
final class TensorAssertions {
    private TensorAssertions() {
    }

    /** Elementwise |actual - expected| &lt;= tol + tol |expected| (numpy's allclose with rtol = atol = tol). */
    static void assertAllClose(Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), "shape");
        assertTrue(actual.cast(DType.F64).allClose(expected.cast(DType.F64), tol, tol),
                () -> "expected\n" + expected + "\nbut got\n" + actual);
    }

    /** max |actual - expected| / max(1, max |expected|) &lt;= tol: one error for the whole tensor. */
    static void assertMaxScaledError(Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.size(), actual.size(), "size");
        double scale = Math.max(1, expected.abs().max().item());
        double error = expected.cast(DType.F64).reshape(-1).sub(actual.cast(DType.F64).reshape(-1)).abs().max().item() / scale;
        assertTrue(error <= tol, () -> "scaled error " + error + " > " + tol + "\nexpected " + expected + "\nactual   " + actual);
    }

    /** {@link #assertMaxScaledError} on two parameter vectors, flattened. */
    static void assertMaxScaledError(Params expected, Params actual, double tol) {
        expected.requireAligned(actual);
        assertMaxScaledError(expected.flatten(), actual.flatten(), tol);
    }
}
