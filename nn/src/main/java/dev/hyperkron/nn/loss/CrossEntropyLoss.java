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
        Tensor diag = Tensor.eye(logits.dtype(), c).reshape(1, c, c).mul(sqrtP);
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
