package dev.hyperkron.nn.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Batch;
import dev.hyperkron.nn.data.Batcher;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Digits;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.optim.Optimizer;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole stack learns: real data with an MLP, generated images with the LeNet-style CNN, in seconds. */
class LearningTest {

    private static Params train(Module model, Dataset data, int epochs, double lr, long seed) {
        Rng rng = new Rng(seed);
        Params params = model.init(rng, DType.F32);
        Optimizer sgd = new Sgd(SgdSettings.builder().learningRate(lr).momentum(0.9).build());
        Batcher batcher = new Batcher(data, 64, false, rng.split());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int e = 0; e < epochs; e++) {
            for (Batch b : batcher.epoch()) {
                Params leaves = params.asLeaves();
                Var l = loss.apply(model.apply(leaves, Var.constant(b.features()), Context.eval()), b.labels(), Reduction.MEAN);
                List<Var> g = Grad.grad(l, leaves.vars());
                params = sgd.step(leaves, leaves.withVars(g));
            }
        }
        return params;
    }

    private static double accuracy(Module model, Params params, Dataset data) {
        try (NoGrad scope = NoGrad.enter()) {
            Tensor predicted = model.apply(params, Var.constant(data.features()), Context.eval()).value().argmax(1);
            return predicted.eq(data.labels()).cast(DType.F64).mean().item();
        }
    }

    @Test
    void anMlpReachesNinetyFivePercentTestAccuracyOnTheEmbeddedDigits() {
        Split split = Split.bySizes(Digits.load(), 1297, 100, 400, new Rng(1), true);
        Normalizer normalizer = Normalizer.standardize(split.train());
        Module mlp = Models.mlp(64, new int[] {64}, 10, Activation.relu());
        Params params = train(mlp, normalizer.apply(split.train()), 30, 0.05, 2);
        double acc = accuracy(mlp, params, normalizer.apply(split.test()));
        assertTrue(acc >= 0.95, "test accuracy " + acc);
    }

    @Test
    void theCnnLearnsToTellGeneratedBarsApart() {
        Dataset train = bars(600, new Rng(3));
        Dataset test = bars(300, new Rng(4));
        Module cnn = Models.lenet(1, 12, 12, 3);
        Params params = train(cnn, train, 8, 0.05, 5);
        double acc = accuracy(cnn, params, test);
        assertTrue(acc >= 0.9, "test accuracy " + acc);
    }

    /** 12x12 noisy images of a horizontal bar, a vertical bar or a diagonal, at random positions. */
    private static Dataset bars(int n, Rng rng) {
        float[] pixels = new float[n * 144];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(3);
            labels[i] = label;
            int at = 2 + rng.nextInt(8);
            for (int p = 0; p < 144; p++) {
                pixels[i * 144 + p] = (float) (0.3 * rng.nextGaussian());
            }
            for (int k = 0; k < 12; k++) {
                int row = label == 0 ? at : k;
                int col = label == 0 ? k : label == 1 ? at : (k + at) % 12;
                pixels[i * 144 + row * 12 + col] += 1f;
            }
        }
        return Dataset.of(Tensor.of(pixels, n, 1, 12, 12), Tensor.of(labels, n), 3);
    }
}
