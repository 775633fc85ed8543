package dev.hyperkron.nn.loss;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;

/** Softmax cross-entropy from logits [N, C] and integer class targets [N]. */
public final class CrossEntropyLoss implements Loss {

    @Override
    public Var perExample(Var logits, Tensor targets) {
        int n = Loss.requireBatchOfRows("cross-entropy", logits.value());
        requireClassTargets(targets, n, logits.dim(1));
        return logits.logSoftmax(1).gather(1, targets.reshape(n, 1)).reshape(n).neg();
    }

    @Override
    public double meanDivisor(int batch, int outputs) {
        return batch;
    }

    /** S = diag(sqrt p) - p sqrt(p)^T with p = softmax(z): S S^T = diag(p) - p p^T. */
    @Override
    public Tensor hessianFactor(Tensor logits) {
        int n = Loss.requireBatchOfRows("cross-entropy", logits);
        int c = logits.dim(1);
        Tensor p = logits.softmax(1).reshape(n, c, 1);
        Tensor sqrtP = p.sqrt().reshape(n, 1, c);
        Tensor diag = Tensor.eye(logits.dtype(), c).to(logits.device()).reshape(1, c, c).mul(sqrtP);
        return diag.sub(p.matmul(sqrtP));
    }

    /** Class indices drawn from softmax(z), one per row (I64). */
    @Override
    public Tensor sampleTargets(Tensor logits, Rng rng) {
        int n = Loss.requireBatchOfRows("cross-entropy", logits);
        int c = logits.dim(1);
        double[] p = logits.softmax(1).toDoubleArray();
        long[] labels = new long[n];
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(p, i * c, row, 0, c);
            labels[i] = rng.categorical(row);
        }
        return Tensor.of(labels, n);
    }

    /**
     * Class-weighted cross-entropy: example n weighs {@code classWeights[y_n]}, so MEAN is
     * sum_n w[y_n] l_n / N and SUM is sum_n w[y_n] l_n. Unlike PyTorch's {@code weight=}, MEAN
     * divides by N, not by the sum of the weights, so the weights also set the loss scale (as an
     * outer variable that learns them needs). Differentiable in the logits and the weights.
     */
    public Var applyClassWeighted(Var logits, Tensor targets, Var classWeights, Reduction reduction) {
        return apply(logits, targets, exampleWeights(classWeights, targets), reduction);
    }

    /**
     * The per-example weights [N] = classWeights[y_n] that a class weighting gives targets [N],
     * differentiable in the class weights [C]; its value is what a loss batch for curvature takes.
     */
    public static Var exampleWeights(Var classWeights, Tensor targets) {
        if (classWeights.rank() != 1) {
            throw new IllegalArgumentException("cross-entropy: class weights must be a vector [C], got " + classWeights.shape());
        }
        if (targets.dtype().isFloating() || targets.rank() != 1) {
            throw new IllegalArgumentException("cross-entropy: targets must be a vector of integer class indices, got "
                    + targets.dtype() + " " + targets.shape());
        }
        requireClassTargets(targets, targets.dim(0), classWeights.dim(0));
        return classWeights.indexSelect(0, targets);
    }

    private static void requireClassTargets(Tensor targets, int n, int classes) {
        if (targets.dtype().isFloating() || targets.rank() != 1 || targets.dim(0) != n) {
            throw new IllegalArgumentException("cross-entropy: targets must be " + n + " integer class indices, got "
                    + targets.dtype() + " " + targets.shape());
        }
        for (int i = 0; i < n; i++) {
            long t = targets.storage().getLong(i);
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("cross-entropy: target " + t + " of example " + i
                        + " is not a class in [0, " + classes + ")");
            }
        }
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss";
    }
}
