package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract every {@link LinearOperator} keeps, checked on each row of {@link OperatorCases} in
 * F64: it is linear, it agrees with its own dense materialization, it is symmetric when it says
 * so, its results are aligned with its domain, and it accounts for the memory it holds.
 */
class LinearOperatorContract {

    @Provide
    Arbitrary<OperatorCases.Case> operators() {
        return Arbitraries.of(OperatorCases.ALL);
    }

    @Property(tries = 60)
    void isLinear(@ForAll("operators") OperatorCases.Case c, @ForAll long seed) {
        LinearOperator op = c.build().apply(seed);
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        Params x = Systems.randomVector(op.domain(), rng);
        Params y = Systems.randomVector(op.domain(), rng);
        double a = rng.nextGaussian();
        double b = rng.nextGaussian();
        Params combined = op.apply(x.scale(a).axpy(b, y));
        Params expected = op.apply(x).scale(a).axpy(b, op.apply(y));
        assertMaxScaledError(expected, combined, 1e-9);
    }

    @Property(tries = 40)
    void agreesWithItsDenseMaterialization(@ForAll("operators") OperatorCases.Case c, @ForAll long seed) {
        LinearOperator op = c.build().apply(seed);
        Tensor dense = op.toDense();
        int n = (int) op.domain().numel();
        assertEquals(DType.F64, dense.dtype());
        assertEquals(n, dense.dim(0));
        Params x = Systems.randomVector(op.domain(), new Rng(seed + 7));
        assertMaxScaledError(dense.matmul(x.flatten().reshape(n, 1)).reshape(n), op.apply(x).flatten(), 1e-9);
    }

    @Property(tries = 40)
    void isSymmetricWhenItSaysSo(@ForAll("operators") OperatorCases.Case c, @ForAll long seed) {
        LinearOperator op = c.build().apply(seed);
        assertTrue(op.isSymmetric(), c.name() + " is a curvature matrix or an inverse of one and should say it is symmetric");
        Rng rng = new Rng(seed + 11);
        Params x = Systems.randomVector(op.domain(), rng);
        Params y = Systems.randomVector(op.domain(), rng);
        double xAy = x.dot(op.apply(y));
        double yAx = y.dot(op.apply(x));
        assertTrue(Math.abs(xAy - yAx) <= 1e-9 * Math.max(1, Math.abs(xAy)), () -> c.name() + ": <x, Ay> = " + xAy
                + " but <y, Ax> = " + yAx);
    }

    @Property(tries = 30)
    void resultsAreAlignedWithTheDomainAndMemoryIsAccounted(@ForAll("operators") OperatorCases.Case c, @ForAll long seed) {
        LinearOperator op = c.build().apply(seed);
        Params x = Systems.randomVector(op.domain(), new Rng(seed));
        assertTrue(op.apply(x).isAlignedWith(op.domain()), c.name());
        assertTrue(op.storedBytes() > 0, () -> c.name() + " holds a matrix, factors or a graph but reports "
                + op.storedBytes() + " bytes");
    }
}
