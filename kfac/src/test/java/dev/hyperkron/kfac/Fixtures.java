package dev.hyperkron.kfac;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.nn.Module;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Conv2d;
import dev.hyperkron.nn.layers.Flatten;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.layers.MaxPool2d;
import dev.hyperkron.nn.layers.Sequential;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.MseLoss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.ArrayList;
import java.util.List;

/** Small F64 problems shared by the curvature and solver tests (as curvlinops' test cases). */
final class Fixtures {
    private Fixtures() {
    }

    /** A model, its parameters and batches. */
    record Problem(String name, Module model, Params params, List<LossBatch> batches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Tensor classLabels(Rng rng, int n, int classes) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Tensor.of(y, n);
    }

    static Problem linearMse(long seed, int n, int in, int out, Reduction reduction) {
        Rng rng = new Rng(seed);
        Module model = new Linear(in, out);
        Params params = model.init(rng, DType.F64);
        Tensor x = Tensor.randn(rng, DType.F64, n, in);
        Tensor y = Tensor.randn(rng, DType.F64, n, out);
        return new Problem("linear+MSE", model, params, List.of(new LossBatch(model, x, y, null, new MseLoss(), reduction)));
    }

    static Problem mlpCrossEntropy(long seed, int n, int batches) {
        Rng rng = new Rng(seed);
        Module model = new Sequential(new Linear(4, 5), Activation.tanh(), new Linear(5, 3));
        Params params = model.init(rng, DType.F64);
        List<LossBatch> list = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            list.add(LossBatch.of(model, Tensor.randn(rng, DType.F64, n, 4), classLabels(rng, n, 3), new CrossEntropyLoss()));
        }
        return new Problem("MLP+CE", model, params, list);
    }

    /**
     * Few examples through wide layers, so that the input factors (and the MC output factor of the
     * hidden layer) are sums of fewer outer products than their dimension and are held as rows.
     */
    static Problem wideMlpCrossEntropy(long seed, int n, int batches) {
        Rng rng = new Rng(seed);
        Module model = new Sequential(new Linear(12, 6), Activation.tanh(), new Linear(6, 3));
        Params params = model.init(rng, DType.F64);
        List<LossBatch> list = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            list.add(LossBatch.of(model, Tensor.randn(rng, DType.F64, n, 12), classLabels(rng, n, 3), new CrossEntropyLoss()));
        }
        return new Problem("wide MLP+CE", model, params, list);
    }

    static Problem cnnCrossEntropy(long seed, int n) {
        Rng rng = new Rng(seed);
        Module model = new Sequential(
                new Conv2d(2, 3, ConvGeometry.square(3, 1, 1, 1), 1, true), Activation.tanh(), new MaxPool2d(2),
                new Flatten(), new Linear(3 * 2 * 2, 3));
        Params params = model.init(rng, DType.F64);
        Tensor x = Tensor.randn(rng, DType.F64, n, 2, 4, 4);
        return new Problem("CNN+CE", model, params,
                List.of(LossBatch.of(model, x, classLabels(rng, n, 3), new CrossEntropyLoss())));
    }

    /** A linear layer applied to every token of [N, T, in] sequences, mean-pooled to class scores. */
    static Problem sequenceCrossEntropy(long seed, int n, int tokens) {
        Rng rng = new Rng(seed);
        Module model = new Sequential(new Linear(3, 4), Activation.tanh(), new MeanOverTokens(), new Linear(4, 2));
        Params params = model.init(rng, DType.F64);
        Tensor x = Tensor.randn(rng, DType.F64, n, tokens, 3);
        return new Problem("sequence+CE", model, params,
                List.of(LossBatch.of(model, x, classLabels(rng, n, 2), new CrossEntropyLoss())));
    }

    static Loss crossEntropy() {
        return new CrossEntropyLoss();
    }

    /** Dense sub-block of a dense matrix for the given row/column ranges. */
    static Tensor block(Tensor dense, int from, int to) {
        return dense.slice(0, from, to).slice(1, from, to);
    }

    static Shape shape(int... dims) {
        return Shape.of(dims);
    }
}
