package dev.hyperkron.bilevel.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Linear;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    private static final Linear MODEL = new Linear(3, 3, false);
    private static final Params IDENTITY = Params.single("weight", Var.leaf(Tensor.eye(DType.F64, 3)));

    private static Dataset random(int n, long seed) {
        Rng rng = new Rng(seed);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Dataset.of(Tensor.randn(rng, DType.F64, n, 3), Tensor.of(y), 3);
    }

    @Test
    void testMetricsAreTheTypedEvaluationOfTheTestSet() {
        Dataset test = random(40, 3);
        Classifier classifier = new Classifier(MODEL, new RoleSamplers(random(20, 1), 5, random(10, 2), 10, new Rng(0)), test);
        ClassificationMetrics typed = classifier.evaluate(IDENTITY);
        ClassificationMetrics direct = ClassificationMetrics.of(MODEL, IDENTITY, test);
        assertEquals(direct.confusion(), typed.confusion());
        assertEquals(Map.of("testLoss", direct.loss(), "testAccuracy", direct.accuracy()), classifier.testMetrics(IDENTITY));
    }

    @Test
    void weightedMeanLossIsTheWeightedSumOverTheBatchSize() {
        Dataset train = random(8, 4);
        Classifier classifier = new Classifier(MODEL, new RoleSamplers(train, 8, train, 8, new Rng(0)), train);
        Batch batch = classifier.next(Role.INNER);
        Var weights = Var.constant(Tensor.arange(DType.F64, 8));
        double weighted = classifier.meanLoss(IDENTITY, batch, weights).item();
        double naive = 0;
        for (int n = 0; n < 8; n++) {
            Batch one = new Batch(batch.features().slice(0, n, n + 1), batch.labels().slice(0, n, n + 1),
                    batch.indices().slice(0, n, n + 1), batch.positions().slice(0, n, n + 1), 0, 0);
            naive += n * classifier.meanLoss(IDENTITY, one, null).item();
        }
        assertEquals(naive / 8, weighted, 1e-12);
    }
}
