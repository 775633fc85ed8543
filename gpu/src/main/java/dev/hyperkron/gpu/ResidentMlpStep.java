package dev.hyperkron.gpu;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.util.function.IntFunction;

/**
 * One SGD step of the 784-256-10 ReLU MLP with mean softmax cross-entropy, written directly as 25
 * kernel SPI calls over buffers of any storage type. On {@link DeviceArray}s it is the floor of
 * what device residency gives (no autodiff graph, no copies, no synchronisation inside the step);
 * on float[] with the CPU kernels it is the reference the device result is checked against.
 * Row broadcasts are rank-1 GEMM updates (the SPI broadcasts only scalars).
 */
final class ResidentMlpStep<A> {
    static final int IN = 784, HIDDEN = 256, CLASSES = 10, BATCH = 128;

    final A x, y, w1, b1, w2, b2;
    private final A onesBatch, onesClasses, h, a, z, rowMax, rowSum, logSum, p, dz, dw2, db2, da, mask, dh, dw1, db1;
    private final TypedKernels<A> k;

    /** {@code fresh} makes a zeroed buffer of n elements; {@code of} uploads values. */
    ResidentMlpStep(TypedKernels<A> k, IntFunction<A> fresh, java.util.function.Function<float[], A> of, long seed) {
        this.k = k;
        java.util.Random rnd = new java.util.Random(seed);
        x = of.apply(gaussian(rnd, BATCH * IN, 1.0));
        float[] labels = new float[BATCH * CLASSES];
        for (int r = 0; r < BATCH; r++) {
            labels[r * CLASSES + rnd.nextInt(CLASSES)] = 1;
        }
        y = of.apply(labels);
        w1 = of.apply(gaussian(rnd, HIDDEN * IN, 1 / Math.sqrt(IN)));
        b1 = of.apply(new float[HIDDEN]);
        w2 = of.apply(gaussian(rnd, CLASSES * HIDDEN, 1 / Math.sqrt(HIDDEN)));
        b2 = of.apply(new float[CLASSES]);
        onesBatch = of.apply(filled(BATCH));
        onesClasses = of.apply(filled(CLASSES));
        h = fresh.apply(BATCH * HIDDEN);
        a = fresh.apply(BATCH * HIDDEN);
        z = fresh.apply(BATCH * CLASSES);
        rowMax = fresh.apply(BATCH);
        rowSum = fresh.apply(BATCH);
        logSum = fresh.apply(BATCH);
        p = fresh.apply(BATCH * CLASSES);
        dz = fresh.apply(BATCH * CLASSES);
        dw2 = fresh.apply(CLASSES * HIDDEN);
        db2 = fresh.apply(CLASSES);
        da = fresh.apply(BATCH * HIDDEN);
        mask = fresh.apply(BATCH * HIDDEN);
        dh = fresh.apply(BATCH * HIDDEN);
        dw1 = fresh.apply(HIDDEN * IN);
        db1 = fresh.apply(HIDDEN);
    }

    void step(double lr) {
        // forward: h = x w1^T + b1, a = relu(h), z = a w2^T + b2
        k.gemm(false, true, BATCH, HIDDEN, IN, 1, x, 0, IN, w1, 0, IN, 0, h, 0, HIDDEN);
        k.gemm(false, false, BATCH, HIDDEN, 1, 1, onesBatch, 0, 1, b1, 0, HIDDEN, 1, h, 0, HIDDEN);
        k.unary(UnaryOp.RELU, h, 0, a, 0, BATCH * HIDDEN);
        k.gemm(false, true, BATCH, CLASSES, HIDDEN, 1, a, 0, HIDDEN, w2, 0, HIDDEN, 0, z, 0, CLASSES);
        k.gemm(false, false, BATCH, CLASSES, 1, 1, onesBatch, 0, 1, b2, 0, CLASSES, 1, z, 0, CLASSES);
        // softmax: p = exp(z - max - log sum exp(z - max)), row by row
        k.reduce(ReduceOp.MAX, z, 0, BATCH, CLASSES, 1, rowMax, 0);
        k.gemm(false, false, BATCH, CLASSES, 1, -1, rowMax, 0, 1, onesClasses, 0, CLASSES, 1, z, 0, CLASSES);
        k.unary(UnaryOp.EXP, z, 0, p, 0, BATCH * CLASSES);
        k.reduce(ReduceOp.SUM, p, 0, BATCH, CLASSES, 1, rowSum, 0);
        k.unary(UnaryOp.LOG, rowSum, 0, logSum, 0, BATCH);
        k.gemm(false, false, BATCH, CLASSES, 1, -1, logSum, 0, 1, onesClasses, 0, CLASSES, 1, z, 0, CLASSES);
        k.unary(UnaryOp.EXP, z, 0, p, 0, BATCH * CLASSES);
        // backward of the mean cross-entropy: dz = (p - y) / batch
        k.binary(BinaryOp.SUB, p, 0, 1, y, 0, 1, dz, 0, BATCH * CLASSES);
        k.scale(1.0 / BATCH, dz, 0, BATCH * CLASSES);
        k.gemm(true, false, CLASSES, HIDDEN, BATCH, 1, dz, 0, CLASSES, a, 0, HIDDEN, 0, dw2, 0, HIDDEN);
        k.reduce(ReduceOp.SUM, dz, 0, 1, BATCH, CLASSES, db2, 0);
        k.gemm(false, false, BATCH, HIDDEN, CLASSES, 1, dz, 0, CLASSES, w2, 0, HIDDEN, 0, da, 0, HIDDEN);
        k.unary(UnaryOp.STEP, h, 0, mask, 0, BATCH * HIDDEN);
        k.binary(BinaryOp.MUL, da, 0, 1, mask, 0, 1, dh, 0, BATCH * HIDDEN);
        k.gemm(true, false, HIDDEN, IN, BATCH, 1, dh, 0, HIDDEN, x, 0, IN, 0, dw1, 0, IN);
        k.reduce(ReduceOp.SUM, dh, 0, 1, BATCH, HIDDEN, db1, 0);
        // SGD
        k.axpy(-lr, dw1, 0, w1, 0, HIDDEN * IN);
        k.axpy(-lr, db1, 0, b1, 0, HIDDEN);
        k.axpy(-lr, dw2, 0, w2, 0, CLASSES * HIDDEN);
        k.axpy(-lr, db2, 0, b2, 0, CLASSES);
    }

    private static float[] gaussian(java.util.Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] filled(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
