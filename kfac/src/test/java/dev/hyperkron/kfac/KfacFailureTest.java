package dev.hyperkron.kfac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.LayerNorm;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.layers.Sequential;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad inputs and unsupported models fail with messages that say what is wrong. */
class KfacFailureTest {

    @Test
    void aModelWithoutSupportedLayersIsRejected() {
        Module model = new Sequential(new LayerNorm(3), Activation.tanh());
        Params params = model.init(new Rng(1), DType.F64);
        LossBatch batch = LossBatch.of(model, Tensor.randn(new Rng(2), DType.F64, 4, 3),
                Fixtures.classLabels(new Rng(3), 4, 3), new CrossEntropyLoss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacOperator.builder(params).build(List.of(batch)));
        assertTrue(e.getMessage().contains("no Linear or Conv2d"), e.getMessage());
    }

    @Test
    void parametersOutsideFactoredLayersAreReportedNotDropped() {
        Module model = new Sequential(new Linear(3, 4), new LayerNorm(4), new Linear(4, 2));
        Params params = model.init(new Rng(1), DType.F64);
        LossBatch batch = LossBatch.of(model, Tensor.randn(new Rng(2), DType.F64, 5, 3),
                Fixtures.classLabels(new Rng(3), 5, 2), new CrossEntropyLoss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacOperator.builder(params).build(List.of(batch)));
        assertTrue(e.getMessage().contains("[1.weight, 1.bias]"), e.getMessage());
        KfacOperator kfac = KfacOperator.builder(params).uncovered(UncoveredPolicy.IDENTITY).build(List.of(batch));
        assertEquals(List.of("1.weight", "1.bias"), kfac.uncoveredParameters());
        Params v = kfac.domain().unflatten(Tensor.randn(new Rng(4), DType.F64, (int) kfac.domain().numel()));
        assertEquals(v.value("1.weight"), kfac.apply(v).value("1.weight"));
    }

    @Test
    void nonFiniteValuesInABatchAreNamed() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(1, 4, 1);
        LossBatch good = p.batches().get(0);
        Tensor x = good.inputs().copy();
        x.storage().setDouble(5, Double.NaN);
        LossBatch bad = new LossBatch(good.model(), x, good.targets(), null, good.loss(), good.reduction());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacOperator.builder(p.params()).build(List.of(good, bad)));
        assertTrue(e.getMessage().contains("batch 1") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void negativeExampleWeightsAreRejected() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(1, 3, 1);
        LossBatch b = p.batches().get(0);
        LossBatch weighted = new LossBatch(b.model(), b.inputs(), b.targets(), Tensor.of(new double[] {1, -0.5, 1}),
                b.loss(), b.reduction());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KfacOperator.builder(p.params()).build(List.of(weighted)));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
    }

    @Test
    void storedBytesCountTheFactors() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(1, 4, 1);
        KfacOperator kfac = KfacOperator.builder(p.params()).build(p.batches());
        // layer 0: A 5x5 (4 inputs + bias), G 5x5; layer 2: A 6x6, G 3x3
        assertEquals((25 + 25 + 36 + 9) * 8, kfac.storedBytes());
        assertEquals(kfac.storedBytes(), KfacInverse.of(kfac, 0.1).storedBytes());
    }
}
