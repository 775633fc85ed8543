package dev.hyperkron.kfac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.loss.Reduction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The identities of MATH.md section 5 that hold exactly. */
class KfacIdentitiesTest {

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertTrue(actual.allClose(expected, tol, tol), () -> "expected\n" + expected + "\nbut got\n" + actual);
    }

    @Property(tries = 20)
    void kfacEqualsGgnEqualsHessianForLinearModelWithMse(@ForAll @IntRange(min = 1, max = 9) int n,
                                                        @ForAll boolean sum, @ForAll long seed) {
        Fixtures.Problem p = Fixtures.linearMse(seed, n, 3, 2, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor hessian = HessianOperator.of(p.params(), p.batches()).toDense();
        Tensor ggn = GgnOperator.of(p.params(), p.batches()).toDense();
        Tensor kfac = KfacOperator.builder(p.params()).build(p.batches()).toDense();
        assertClose(hessian, ggn, 1e-10);
        assertClose(hessian, kfac, 1e-10);
    }
}
