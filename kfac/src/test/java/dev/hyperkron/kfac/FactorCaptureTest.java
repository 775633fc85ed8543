package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Factors captured from forward passes the caller runs (an inner loop's steps) against the factors
 * KFAC computes with passes of its own: one pass equals KFAC on its batch, several passes average
 * A over their examples and take G from the last.
 */
class FactorCaptureTest {

    private static final List<FisherType> TYPES = List.of(FisherType.TYPE2, FisherType.MC, FisherType.EMPIRICAL,
            FisherType.FORWARD_ONLY);

    private static KfacOperator.Builder builder(Params params, FisherType type, long rngSeed) {
        return KfacOperator.builder(params).fisherType(type).mcSamples(2).rng(new Rng(rngSeed));
    }

    /** Captures forward passes of the batches at the given parameters, G from the last. */
    private static FactorCapture capture(KfacOperator.Builder builder, List<LossBatch> batches, List<Params> at) {
        FactorCapture capture = builder.capture();
        for (int t = 0; t < batches.size(); t++) {
            capture.forward(batches.get(t), at.get(t).asLeaves());
        }
        capture.captureOutputGradients();
        return capture;
    }

    private static void assertSameFactors(KfacOperator expected, KfacOperator actual) {
        assertEquals(expected.factors().size(), actual.factors().size());
        for (int l = 0; l < expected.factors().size(); l++) {
            assertAllClose(expected.factors().get(l).a(), actual.factors().get(l).a(), 1e-12);
            assertAllClose(expected.factors().get(l).g(), actual.factors().get(l).g(), 1e-12);
        }
    }

    @Property(tries = 24)
    void onePassHasTheFactorsKfacComputesOnItsBatch(@ForAll @IntRange(min = 0, max = 3) int fisher,
                                                    @ForAll @IntRange(min = 0, max = 3) int problem,
                                                    @ForAll @IntRange(min = 1, max = 8) int n) {
        Fixtures.Problem p = switch (problem) {
            case 0 -> Fixtures.mlpCrossEntropy(n, n, 1);
            case 1 -> Fixtures.wideMlpCrossEntropy(n, n, 1);
            case 2 -> Fixtures.cnnCrossEntropy(n, n);
            default -> Fixtures.sequenceCrossEntropy(n, n, 3);
        };
        FisherType type = TYPES.get(fisher);
        // MC draws its labels from the random stream: in the same state, both draw the same labels.
        KfacOperator own = builder(p.params(), type, 7).build(p.batches());
        KfacOperator.Builder b = builder(p.params(), type, 7);
        KfacOperator captured = b.build(capture(b, p.batches(), List.of(p.params())));
        assertSameFactors(own, captured);
    }

    @Property(tries = 10)
    void onePassGivesTheEkfacOfItsBatch(@ForAll @IntRange(min = 1, max = 8) int n) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(n, n, 1);
        // Type-2 passes are deterministic, so KFAC's second (refit) pass sees what the capture replays.
        EkfacOperator own = builder(p.params(), FisherType.TYPE2, 0).buildEkfac(p.batches());
        KfacOperator.Builder b = builder(p.params(), FisherType.TYPE2, 0);
        EkfacOperator captured = b.buildEkfac(capture(b, p.batches(), List.of(p.params())));
        for (int l = 0; l < own.scalings().size(); l++) {
            assertAllClose(own.scalings().get(l), captured.scalings().get(l), 1e-10);
        }
    }

    @Property(tries = 15)
    void inputFactorOfEqualPassesIsTheAverageOfThePerPassFactorsAndGIsTheLastPasses(
            @ForAll @IntRange(min = 1, max = 5) int passes, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll long seed) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(seed, n, passes);
        List<Params> at = drift(p.params(), passes, seed);
        KfacOperator.Builder b = builder(p.params(), FisherType.MC, seed);
        KfacOperator captured = b.build(capture(b, p.batches(), at));
        for (int l = 0; l < captured.factors().size(); l++) {
            Tensor mean = null;
            for (int t = 0; t < passes; t++) {
                Tensor a = builder(at.get(t), FisherType.FORWARD_ONLY, 0).build(List.of(p.batches().get(t)))
                        .factors().get(l).a();
                mean = mean == null ? a : mean.add(a);
            }
            assertAllClose(mean.div(passes), captured.factors().get(l).a(), 1e-12);
        }
        // G: the MC backward through the last pass, as KFAC on the last batch at the last parameters draws it.
        KfacOperator last = builder(at.get(passes - 1), FisherType.MC, seed).build(List.of(p.batches().get(passes - 1)));
        for (int l = 0; l < captured.factors().size(); l++) {
            assertAllClose(last.factors().get(l).g(), captured.factors().get(l).g(), 1e-12);
        }
    }

    @Test
    void passesOfUnequalSizeWeighTheirInputsByTheirNumberOfExamples() {
        Fixtures.Problem small = Fixtures.mlpCrossEntropy(1, 2, 1);
        Fixtures.Problem large = Fixtures.mlpCrossEntropy(2, 6, 1);
        LossBatch other = large.batches().get(0);
        List<LossBatch> batches = List.of(small.batches().get(0),
                new LossBatch(small.model(), other.inputs(), other.targets(), null, other.loss(), other.reduction()));
        KfacOperator.Builder b = builder(small.params(), FisherType.TYPE2, 0);
        KfacOperator captured = b.build(capture(b, batches, List.of(small.params(), small.params())));
        // At one theta, A over the union of the batches is what KFAC computes on both batches at once.
        KfacOperator union = builder(small.params(), FisherType.FORWARD_ONLY, 0).build(batches);
        for (int l = 0; l < union.factors().size(); l++) {
            assertAllClose(union.factors().get(l).a(), captured.factors().get(l).a(), 1e-12);
        }
    }

    @Test
    void aCaptureRefusesToBeUsedOutOfOrder() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(3, 4, 1);
        KfacOperator.Builder b = builder(p.params(), FisherType.MC, 0);
        FactorCapture capture = b.capture();
        assertThrows(IllegalStateException.class, capture::captureOutputGradients);
        capture.forward(p.batches().get(0), p.params().asLeaves());
        IllegalStateException noG = assertThrows(IllegalStateException.class, () -> b.build(capture));
        assertTrue(noG.getMessage().contains("captureOutputGradients"), noG.getMessage());
        capture.captureOutputGradients();
        assertEquals(1, capture.forwards());
        assertThrows(IllegalStateException.class, capture::captureOutputGradients);
        assertThrows(IllegalStateException.class, () -> capture.forward(p.batches().get(0), p.params().asLeaves()));
    }

    /** Parameters that move a little from pass to pass, as an inner loop's do. */
    private static List<Params> drift(Params start, int passes, long seed) {
        Rng rng = new Rng(seed ^ 0x5EED);
        List<Params> at = new ArrayList<>();
        Params current = start;
        for (int t = 0; t < passes; t++) {
            at.add(current);
            current = current.mapValues(v -> v.add(Tensor.randn(rng, DType.F64, v.shape().dims()).mul(0.1)));
        }
        return at;
    }
}
