package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.bilevel.meta.MetaTask;
import dev.hyperkron.bilevel.meta.QueryMetric;
import dev.hyperkron.bilevel.meta.TaskDistribution;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.MseLoss;
import dev.hyperkron.nn.models.Models;

/**
 * The sinusoid regression benchmark of Finn et al. (2017): a task is y = A sin(x - b) with
 * amplitude A uniform in [0.1, 5] and phase b uniform in [0, pi], observed at x uniform in
 * [-5, 5]; K support and Q query points; the model is an MLP 1-40-40-1 with ReLU, the loss MSE.
 */
public final class SinusoidRegression implements TaskDistribution {
    private final int shots;
    private final int queries;
    private final DType dtype;
    private final Module model = Models.mlp(1, new int[] {40, 40}, 1, Activation.relu());
    private final MseLoss loss = new MseLoss();

    /** Tasks of {@code shots} support and {@code queries} query points, in {@code dtype}. */
    public SinusoidRegression(int shots, int queries, DType dtype) {
        if (shots < 1 || queries < 1) {
            throw new IllegalArgumentException("sinusoid tasks need shots >= 1 and queries >= 1, got shots=" + shots
                    + ", queries=" + queries);
        }
        this.shots = shots;
        this.queries = queries;
        this.dtype = dtype;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public MetaTask sample(Rng rng) {
        double amplitude = 0.1 + 4.9 * rng.nextDouble();
        double phase = Math.PI * rng.nextDouble();
        return new MetaTask(points(rng, shots, amplitude, phase), points(rng, queries, amplitude, phase), QueryMetric.LOSS);
    }

    private LossBatch points(Rng rng, int n, double amplitude, double phase) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -5 + 10 * rng.nextDouble();
            y[i] = amplitude * Math.sin(x[i] - phase);
        }
        return LossBatch.of(model, Tensor.of(x, n, 1).cast(dtype), Tensor.of(y, n, 1).cast(dtype), loss);
    }
}
