package dev.hyperkron.bilevel.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Linear;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    /** logits = features: a Linear layer with identity weights and no bias. */
    private static final Linear IDENTITY_MODEL = new Linear(3, 3, false);
    private static final Params IDENTITY = Params.single("weight", Var.leaf(Tensor.eye(DType.F64, 3)));

    /** Mean softmax cross-entropy by the textbook formula, one row at a time. */
    private static double naiveCrossEntropy(double[][] logits, long[] labels) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double z = 0;
            for (double v : logits[i]) {
                z += Math.exp(v);
            }
            sum += Math.log(z) - logits[i][(int) labels[i]];
        }
        return sum / logits.length;
    }

    @Test
    void metricsOfAHandCheckedImbalancedSet() {
        // Labels 0 0 0 1 1 2; the largest logit predicts 0 0 1 1 2 2.
        double[][] logits = {{2, 0, 0}, {1, 0.5, 0}, {0, 1, 0}, {0, 3, 1}, {0, 0, 1}, {-1, 0, 2}};
        long[] labels = {0, 0, 0, 1, 1, 2};
        Dataset data = Dataset.of(Tensor.of(DType.F64, logits), Tensor.of(labels), 3);

        ClassificationMetrics m = ClassificationMetrics.of(IDENTITY_MODEL, IDENTITY, data);

        assertEquals(Tensor.of(new long[] {2, 1, 0, 0, 1, 1, 0, 0, 1}, 3, 3), m.confusion());
        assertEquals(4.0 / 6, m.accuracy(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 2, 1.0}, m.perClassRecall(), 1e-15);
        assertEquals((2.0 / 3 + 1.0 / 2 + 1.0) / 3, m.balancedAccuracy(), 1e-15);
        assertEquals(naiveCrossEntropy(logits, labels), m.loss(), 1e-12);
        assertEquals(3, m.classes());
    }

    @Test
    void aClassWithoutExamplesHasRecallNaNAndIsLeftOutOfTheBalancedAccuracy() {
        double[][] logits = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
        long[] labels = {0, 0, 1};
        Dataset data = Dataset.of(Tensor.of(DType.F64, logits), Tensor.of(labels), 3);

        ClassificationMetrics m = ClassificationMetrics.of(IDENTITY_MODEL, IDENTITY, data);

        double[] recall = m.perClassRecall();
        assertEquals(0.5, recall[0]);
        assertEquals(1.0, recall[1]);
        assertTrue(Double.isNaN(recall[2]));
        assertEquals(0.75, m.balancedAccuracy(), 1e-15);
        assertEquals(2.0 / 3, m.accuracy(), 1e-15);
    }

    @Test
    void largeSetsAreCountedAcrossChunksLikeANaiveLoop() {
        int n = 2500;
        Rng rng = new Rng(5);
        Tensor features = Tensor.randn(rng, DType.F64, n, 3);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
        }
        Dataset data = Dataset.of(features, Tensor.of(labels), 3);

        ClassificationMetrics m = ClassificationMetrics.of(IDENTITY_MODEL, IDENTITY, data);

        long[][] naive = new long[3][3];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (features.get(i, c) > features.get(i, best)) {
                    best = c;
                }
            }
            naive[(int) labels[i]][best]++;
        }
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(naive[t][p], m.confusion().getLong(t, p), "true " + t + ", predicted " + p);
            }
        }
    }

    @Test
    void recallsAreCopiesSoTheRecordCannotBeChangedFromOutside() {
        ClassificationMetrics m = ClassificationMetrics.fromConfusion(Tensor.of(new long[] {3, 1, 0, 4}, 2, 2), 0.1);
        m.perClassRecall()[0] = 42;
        assertEquals(0.75, m.perClassRecall()[0]);
        assertEquals(7.0 / 8, m.accuracy());
        assertEquals((0.75 + 1.0) / 2, m.balancedAccuracy());
    }

    @Test
    void malformedConfusionMatricesAndMismatchedModelsAreRefused() {
        String square = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.fromConfusion(Tensor.zeros(DType.I64, 2, 3), 0)).getMessage();
        assertTrue(square.contains("[2, 3]"), square);
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.fromConfusion(Tensor.zeros(DType.F64, 2, 2), 0));
        Dataset fourClasses = Dataset.of(Tensor.zeros(DType.F64, 2, 3), Tensor.of(new long[] {0, 3}), 4);
        String model = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.of(IDENTITY_MODEL, IDENTITY, fourClasses)).getMessage();
        assertTrue(model.contains("4 classes"), model);
    }
}
