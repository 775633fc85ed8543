package dev.hyperkron.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.GradCheck;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Class-weighted cross-entropy against a naive loop, per-example weighting and finite differences. */
class ClassWeightedLossTest {
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    /** sum_n w[y_n] (log sum_c e^{z_nc} - z_{n,y_n}), straight from the definition. */
    private static double naiveWeightedSum(double[][] z, long[] y, double[] w) {
        double sum = 0;
        for (int n = 0; n < z.length; n++) {
            double partition = 0;
            for (double v : z[n]) {
                partition += Math.exp(v);
            }
            sum += w[(int) y[n]] * (Math.log(partition) - z[n][(int) y[n]]);
        }
        return sum;
    }

    @Example
    void matchesTheDefinitionOnAHandExample() {
        double[][] z = {{1, 0, -1}, {0.5, 2, 0}, {0, 0, 0}, {3, -1, 1}};
        long[] y = {0, 1, 2, 2};
        double[] w = {0.5, 2, 1.5};
        Var logits = Var.constant(Tensor.of(DType.F64, z));
        Var weights = Var.constant(Tensor.of(w));
        double expected = naiveWeightedSum(z, y, w);
        assertEquals(expected, loss.applyClassWeighted(logits, Tensor.of(y), weights, Reduction.SUM).item(), 1e-12);
        assertEquals(expected / 4, loss.applyClassWeighted(logits, Tensor.of(y), weights, Reduction.MEAN).item(), 1e-12);
        assertEquals(Tensor.of(new double[] {0.5, 2, 1.5, 1.5}), CrossEntropyLoss.exampleWeights(weights, Tensor.of(y)).value());
    }

    @Property(tries = 30)
    void gradientsInLogitsAndClassWeightsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 2, max = 4) int classes, @ForAll long seed) {
        Rng rng = new Rng(seed);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        Tensor targets = Tensor.of(y);
        Tensor z = Tensor.randn(rng, DType.F64, n, classes);
        Tensor w = Tensor.uniform(rng, DType.F64, 0.1, 2, classes);
        GradCheck.checkGradient(xs -> loss.applyClassWeighted(xs.get(0), targets, xs.get(1), Reduction.MEAN),
                List.of(z, w)).assertPasses(1e-7);
    }

    @Example
    void invalidWeightsAndTargetsAreRefusedWithTheirShapes() {
        Var logits = Var.constant(Tensor.zeros(DType.F64, 2, 3));
        String rank = assertThrows(IllegalArgumentException.class, () -> loss.applyClassWeighted(logits,
                Tensor.of(new long[] {0, 1}), Var.constant(Tensor.ones(DType.F64, 3, 1)), Reduction.MEAN)).getMessage();
        assertTrue(rank.contains("[3, 1]"), rank);
        String outside = assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.exampleWeights(
                Var.constant(Tensor.ones(DType.F64, 3)), Tensor.of(new long[] {0, 3}))).getMessage();
        assertTrue(outside.contains("target 3 of example 1"), outside);
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.exampleWeights(
                Var.constant(Tensor.ones(DType.F64, 3)), Tensor.of(new double[] {0, 1})));
    }
}
