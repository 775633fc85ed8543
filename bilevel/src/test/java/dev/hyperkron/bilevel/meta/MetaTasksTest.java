package dev.hyperkron.bilevel.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.tasks.FewShotClassification;
import dev.hyperkron.bilevel.tasks.SinusoidRegression;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.models.Models;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Task distributions, query scores, the evaluation's interval and the meta-training loop. */
class MetaTasksTest {

    /** 6 classes of 10 examples; example i of class c has the single feature 100 c + i, so a task's examples can be traced. */
    private static Dataset traceable() {
        float[] features = new float[60];
        long[] labels = new long[60];
        for (int c = 0; c < 6; c++) {
            for (int i = 0; i < 10; i++) {
                features[c * 10 + i] = 100 * c + i;
                labels[c * 10 + i] = c;
            }
        }
        return Dataset.of(Tensor.of(features, 60, 1), Tensor.of(labels, 60), 6);
    }

    @Property(tries = 30)
    void fewShotTasksRelabelPoolClassesAndKeepSupportAndQueryApart(@ForAll long seed) {
        int[] pool = {0, 2, 4, 5};
        FewShotClassification tasks = new FewShotClassification(traceable(), pool, 3, 2, 3, Models.logisticRegression(1, 3));
        MetaTask task = tasks.sample(new Rng(seed));
        assertEquals(6, task.support().size());
        assertEquals(9, task.query().size());
        Map<Long, Integer> classOfLabel = new HashMap<>();
        Set<Float> seen = new HashSet<>();
        for (LossBatch b : List.of(task.support(), task.query())) {
            for (int n = 0; n < b.size(); n++) {
                float feature = (float) b.inputs().get(n, 0);
                int original = (int) (feature / 100);
                assertTrue(seen.add(feature), "example " + feature + " drawn twice");
                assertTrue(original == 0 || original == 2 || original == 4 || original == 5, "class " + original);
                long label = b.targets().getLong(n);
                assertTrue(label >= 0 && label < 3, "label " + label);
                assertEquals(original, classOfLabel.computeIfAbsent(label, l -> original), "label " + label);
            }
        }
        assertEquals(3, new HashSet<>(classOfLabel.values()).size());
    }

    @Test
    void fewShotTasksRefuseAPoolThatCannotFillThem() {
        Dataset data = traceable();
        var model = Models.logisticRegression(1, 3);
        String repeated = assertThrows(IllegalArgumentException.class,
                () -> new FewShotClassification(data, new int[] {1, 1, 2}, 3, 1, 1, model)).getMessage();
        assertTrue(repeated.contains("class 1") && repeated.contains("repeated"), repeated);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> new FewShotClassification(data, new int[] {1, 2, 9}, 3, 1, 1, model)).getMessage();
        assertTrue(unknown.contains("class 9") && unknown.contains("not a label"), unknown);
        String small = assertThrows(IllegalArgumentException.class,
                () -> new FewShotClassification(data, new int[] {1, 2}, 3, 1, 1, model)).getMessage();
        assertTrue(small.contains("at least 3 classes"), small);
        String few = assertThrows(IllegalArgumentException.class,
                () -> new FewShotClassification(data, new int[] {1, 2, 3}, 3, 5, 6, model)).getMessage();
        assertTrue(few.contains("has 10 examples") && few.contains("11"), few);
    }

    @Property(tries = 30)
    void sinusoidTasksLieOnOneSineWaveOfTheBenchmarksRanges(@ForAll long seed) {
        MetaTask task = new SinusoidRegression(5, 7, DType.F64).sample(new Rng(seed));
        assertEquals(5, task.support().size());
        assertEquals(7, task.query().size());
        // A sin(x - b) = p sin x + q cos x with p = A cos b, q = -A sin b: fit (p, q) on two points, check the rest
        Tensor x = Tensor.concat(0, task.support().inputs(), task.query().inputs());
        Tensor y = Tensor.concat(0, task.support().targets(), task.query().targets());
        double x0 = x.get(0, 0), x1 = x.get(1, 0);
        double det = Math.sin(x0) * Math.cos(x1) - Math.cos(x0) * Math.sin(x1);
        double p = (y.get(0, 0) * Math.cos(x1) - y.get(1, 0) * Math.cos(x0)) / det;
        double q = (Math.sin(x0) * y.get(1, 0) - Math.sin(x1) * y.get(0, 0)) / det;
        double amplitude = Math.hypot(p, q);
        double phase = Math.atan2(-q, p);
        if (Math.abs(det) > 1e-3) {
            assertTrue(amplitude >= 0.1 - 1e-6 && amplitude <= 5 + 1e-6, "amplitude " + amplitude);
            assertTrue(phase >= -1e-6 && phase <= Math.PI + 1e-6, "phase " + phase);
        }
        for (int n = 0; n < 12; n++) {
            assertTrue(Math.abs(x.get(n, 0)) <= 5, "x " + x.get(n, 0));
            if (Math.abs(det) > 1e-3) {
                double expected = p * Math.sin(x.get(n, 0)) + q * Math.cos(x.get(n, 0));
                assertEquals(expected, y.get(n, 0), 1e-6 * (1 + amplitude / Math.abs(det)));
            }
        }
    }

    @Test
    void accuracyCountsQueryExamplesWhoseLargestLogitIsTheLabel() {
        Linear identity = new Linear(2, 2);
        Params weights = Params.of(Map.of("weight", Var.leaf(Tensor.eye(DType.F64, 2)),
                "bias", Var.leaf(Tensor.zeros(DType.F64, 2))));
        Tensor inputs = Tensor.of(DType.F64, new double[][] {{1, 0}, {0, 1}, {2, 1}, {0, 3}});
        LossBatch query = LossBatch.of(identity, inputs, Tensor.of(new long[] {0, 1, 1, 0}, 4), new CrossEntropyLoss());
        assertEquals(0.5, QueryMetric.ACCURACY.of(query, weights), 1e-12);
    }

    @Test
    void theIntervalIsTheNormalHalfWidthOfTheMeanScore() {
        LinearRegressionTask a = new LinearRegressionTask(1, 2, 1, 4, 4);
        LinearRegressionTask b = new LinearRegressionTask(2, 2, 1, 4, 4);
        Adaptation adaptation = new Adaptation(2, 0.05, 1.0);
        double sa = QueryMetric.LOSS.of(a.task.query(), adaptation.adapt(a.task, a.phi));
        double sb = QueryMetric.LOSS.of(b.task.query(), adaptation.adapt(b.task, a.phi));
        MetaEvaluation e = MetaEvaluation.of(List.of(a.task, b.task), a.phi, adaptation);
        assertEquals((sa + sb) / 2, e.mean(), 1e-12);
        assertEquals(1.96 * Math.abs(sa - sb) / Math.sqrt(2) / Math.sqrt(2), e.halfWidth(), 1e-12);
        assertEquals(2, e.tasks());
    }

    @Test
    void metaTrainingStepsPhiOncePerMetaBatchAndReportsEveryStep() {
        SinusoidRegression tasks = new SinusoidRegression(5, 5, DType.F32);
        MetaTrainer trainer = new MetaTrainer(tasks, new Adaptation(2, 0.01, 1.0), 3,
                dev.hyperkron.nn.optim.AdamSettings.adam().learningRate(1e-3).build());
        Params phi0 = tasks.model().init(new Rng(0), DType.F32);
        List<Integer> steps = new ArrayList<>();
        MetaTrainer.Result result = trainer.train(MetaGradientMethod.imamlKfac(), phi0, Budget.steps(3), new Rng(1),
                (step, phi) -> steps.add(step.step()));
        assertEquals(List.of(0, 1, 2, 3), steps);
        assertEquals(3, result.history().size());
        assertTrue(result.failure().isEmpty());
        assertTrue(result.phi().sub(phi0).norm() > 0, "phi moved");
        result.history().forEach(s -> assertTrue(Double.isFinite(s.queryLoss()) && s.seconds() > 0, s.toString()));
    }
}
