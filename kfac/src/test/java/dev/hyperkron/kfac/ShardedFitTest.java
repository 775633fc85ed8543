package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertAllClose;
import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fitting KFAC and EKFAC on shards of the examples and combining them with weights n_s/N
 * ({@link KfacOperator#withFactors}, {@link KfacOperator.Builder#refitEkfac},
 * {@link EkfacOperator#withScalings}) gives the operators fitted on all examples at once: what a
 * data-parallel engine relies on.
 */
class ShardedFitTest {
    private static final int[] SHARDS = {3, 5, 4};

    private final Fixtures.Problem problem = Fixtures.mlpCrossEntropy(11, 12, 1);
    private final LossBatch all = problem.batches().get(0);

    @Test
    void kfacFromWeightedShardFactorsEqualsKfacOnAllExamples() {
        KfacOperator whole = builder().build(List.of(all));
        KfacOperator combined = combinedKfac();
        for (int i = 0; i < whole.factors().size(); i++) {
            assertAllClose(whole.factors().get(i).a(), combined.factors().get(i).a(), 1e-12);
            assertAllClose(whole.factors().get(i).g(), combined.factors().get(i).g(), 1e-12);
        }
        Params v = problem.params().mapValues(t -> Tensor.randn(new Rng(3), t.dtype(), t.shape().dims()));
        assertMaxScaledError(whole.apply(v), combined.apply(v), 1e-12);
    }

    @Test
    void ekfacFromWeightedShardRefitsEqualsEkfacOnAllExamples() {
        EkfacOperator whole = builder().buildEkfac(List.of(all));
        KfacOperator kfac = combinedKfac();
        List<Tensor> scalings = null;
        for (LossBatch shard : shards()) {
            double weight = (double) shard.size() / all.size();
            List<Tensor> s = builder().refitEkfac(kfac, List.of(shard)).scalings();
            scalings = scalings == null ? scale(s, weight) : add(scalings, scale(s, weight));
        }
        EkfacOperator combined = EkfacOperator.withScalings(kfac, scalings);
        Params v = problem.params().mapValues(t -> Tensor.randn(new Rng(5), t.dtype(), t.shape().dims()));
        assertMaxScaledError(whole.apply(v), combined.apply(v), 1e-12);
        assertMaxScaledError(EkfacInverse.of(whole, 1e-3).apply(v), EkfacInverse.of(combined, 1e-3).apply(v), 1e-10);
    }

    @Test
    void factorsOrScalingsOfTheWrongShapeAreRefusedNamingTheLayer() {
        KfacOperator kfac = builder().build(List.of(all));
        List<Tensor> a = new ArrayList<>();
        List<Tensor> g = new ArrayList<>();
        kfac.factors().forEach(f -> {
            a.add(f.g());
            g.add(f.g());
        });
        assertThrows(IllegalArgumentException.class, () -> kfac.withFactors(a, g));
        assertThrows(IllegalArgumentException.class, () -> EkfacOperator.withScalings(kfac, List.of()));
    }

    private KfacOperator.Builder builder() {
        return KfacOperator.builder(problem.params());
    }

    private KfacOperator combinedKfac() {
        List<Tensor> a = null;
        List<Tensor> g = null;
        KfacOperator first = null;
        for (LossBatch shard : shards()) {
            double weight = (double) shard.size() / all.size();
            KfacOperator k = builder().build(List.of(shard));
            List<Tensor> sa = new ArrayList<>();
            List<Tensor> sg = new ArrayList<>();
            k.factors().forEach(f -> {
                sa.add(f.a().mul(weight));
                sg.add(f.g().mul(weight));
            });
            a = a == null ? sa : add(a, sa);
            g = g == null ? sg : add(g, sg);
            first = first == null ? k : first;
        }
        return first.withFactors(a, g);
    }

    private List<LossBatch> shards() {
        List<LossBatch> shards = new ArrayList<>();
        int from = 0;
        for (int size : SHARDS) {
            shards.add(LossBatch.of(all.model(), all.inputs().slice(0, from, from + size),
                    all.targets().slice(0, from, from + size), all.loss()));
            from += size;
        }
        return shards;
    }

    private static List<Tensor> scale(List<Tensor> ts, double w) {
        return ts.stream().map(t -> t.mul(w)).toList();
    }

    private static List<Tensor> add(List<Tensor> x, List<Tensor> y) {
        List<Tensor> sum = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            sum.add(x.get(i).add(y.get(i)));
        }
        return sum;
    }
}
