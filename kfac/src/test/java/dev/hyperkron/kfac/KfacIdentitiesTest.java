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

    @Property(tries = 15)
    void separateBiasKfacIsTheHessianWithoutWeightBiasCouplingForLinearModelWithMse(
            @ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        Fixtures.Problem p = Fixtures.linearMse(seed, n, 3, 2, Reduction.MEAN);
        Tensor hessian = HessianOperator.of(p.params(), p.batches()).toDense();
        Tensor kfac = KfacOperator.builder(p.params()).jointBias(false).build(p.batches()).toDense();
        // layout: weight (2 x 3 = 6 entries), then bias (2): blocks [0, 6) and [6, 8), no coupling between them
        Tensor expected = hessian.copy();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                if ((i < 6) != (j < 6)) {
                    expected.storage().setDouble(i * 8 + j, 0);
                }
            }
        }
        assertClose(expected, kfac, 1e-10);
    }
}
