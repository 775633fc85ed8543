package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertAllClose;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.loss.Reduction;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The identities of MATH.md section 5 that hold exactly. */
class KfacIdentitiesTest {


    @Property(tries = 20)
    void kfacEqualsGgnEqualsHessianForLinearModelWithMse(@ForAll @IntRange(min = 1, max = 9) int n,
                                                        @ForAll boolean sum, @ForAll long seed) {
        Fixtures.Problem p = Fixtures.linearMse(seed, n, 3, 2, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor hessian = HessianOperator.of(p.params(), p.batches()).toDense();
        Tensor ggn = GgnOperator.of(p.params(), p.batches()).toDense();
        Tensor kfac = KfacOperator.builder(p.params()).build(p.batches()).toDense();
        assertAllClose(hessian, ggn, 1e-10);
        assertAllClose(hessian, kfac, 1e-10);
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
        assertAllClose(expected, kfac, 1e-10);
    }

    @Property(tries = 10)
    void batchesOfUnequalSizeGiveTheFactorsOfTheirUnion(@ForAll long seed) {
        // one 30-example and one 10-example batch weigh 3:1, as the 40 examples do in one batch
        Fixtures.Problem thirty = Fixtures.mlpCrossEntropy(seed, 30, 1);
        Fixtures.Problem ten = Fixtures.mlpCrossEntropy(seed + 1, 10, 1);
        LossBatch a = thirty.batches().get(0);
        LossBatch b = ten.batches().get(0);
        LossBatch union = LossBatch.of(a.model(), Tensor.concat(0, a.inputs(), b.inputs()),
                Tensor.concat(0, a.targets(), b.targets()), a.loss());
        for (FisherType type : new FisherType[] {FisherType.TYPE2, FisherType.EMPIRICAL}) {
            KfacOperator split = KfacOperator.builder(thirty.params()).fisherType(type).build(List.of(a, b));
            KfacOperator whole = KfacOperator.builder(thirty.params()).fisherType(type).build(List.of(union));
            for (int layer = 0; layer < whole.factors().size(); layer++) {
                assertAllClose(whole.factors().get(layer).a(), split.factors().get(layer).a(), 1e-12);
                assertAllClose(whole.factors().get(layer).g(), split.factors().get(layer).g(), 1e-12);
            }
        }
        assertAllClose(HessianOperator.of(thirty.params(), List.of(union)).toDense(),
                HessianOperator.of(thirty.params(), List.of(a, b)).toDense(), 1e-10);
    }
}
