package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;

/** Matrix products over the last two axes with broadcast batch axes, on the GEMM kernel. */
final class MatMul {
    /** Multiply-adds per matrix below which batches, not single products, are spread over threads. */
    private static final long SMALL_PRODUCT = 1L << 20;

    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Elementwise.requireSameDType("matmul", a, b);
        Elementwise.requireFloating("matmul", a.dtype());
        Device device = Devices.common("matmul", a, b);
        TypedKernels<Object> k = device.kernels(a.dtype());
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.rank() < 2 || sb.rank() < 2) {
            throw ShapeException.of("matmul", "needs operands of rank >= 2 (reshape vectors to [n, 1] or [1, n])", sa, sb);
        }
        int m = transA ? sa.dim(-1) : sa.dim(-2);
        int kA = transA ? sa.dim(-2) : sa.dim(-1);
        int kB = transB ? sb.dim(-1) : sb.dim(-2);
        int n = transB ? sb.dim(-2) : sb.dim(-1);
        if (kA != kB) {
            throw ShapeException.of("matmul", "inner dimensions differ (" + kA + " vs " + kB
                    + (transA || transB ? ", transA=" + transA + ", transB=" + transB : "") + ")", sa, sb);
        }
        Shape batchA = Shape.of(java.util.Arrays.copyOf(sa.dims(), sa.rank() - 2));
        Shape batchB = Shape.of(java.util.Arrays.copyOf(sb.dims(), sb.rank() - 2));
        Shape batch;
        try {
            batch = Shape.broadcast("matmul", batchA, batchB);
        } catch (ShapeException e) {
            throw ShapeException.of("matmul", "batch dimensions " + batchA + " and " + batchB
                    + " cannot be broadcast together", sa, sb);
        }
        int[] outDims = java.util.Arrays.copyOf(batch.dims(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        Tensor out = Tensor.output(device, a.dtype(), Shape.of(outDims));
        Object x = Devices.on(device, a).storage().buffer();
        Object y = Devices.on(device, b).storage().buffer();
        Object c = out.storage().buffer();
        int lda = sa.dim(-1);
        int ldb = sb.dim(-1);
        if (batchB.size() == 1 && sb.rank() == 2 && !transA) {
            // [..., m, k] x [k, n]: one GEMM with the batch folded into the rows.
            k.gemm(false, transB, batch.size() * m, n, kA, 1.0, x, 0, lda, y, 0, ldb, 0.0, c, 0, n);
            return out;
        }
        int count = batch.size();
        int[] offA = batchOffsets(batch, batchA, m * kA);
        int[] offB = batchOffsets(batch, batchB, kA * n);
        long work = (long) m * n * kA;
        int minBatches = work >= SMALL_PRODUCT ? count : (int) Math.max(1, SMALL_PRODUCT / Math.max(1, work));
        int strideA = uniformStride(offA);
        int strideB = uniformStride(offB);
        boolean strided = strideA >= 0 && strideB >= 0;
        Devices.forRange(device, count, minBatches, 1, (from, to) -> {
            if (strided) {
                // Evenly spaced operands (every batch of attention's products): one batched call.
                k.gemmBatched(transA, transB, m, n, kA, 1.0, x, offA[from], strideA, lda, y, offB[from], strideB, ldb,
                        0.0, c, from * m * n, m * n, n, to - from);
                return;
            }
            for (int i = from; i < to; i++) {
                k.gemm(transA, transB, m, n, kA, 1.0, x, offA[i], lda, y, offB[i], ldb, 0.0, c, i * m * n, n);
            }
        });
        return out;
    }

    /**
     * PyTorch's linear layer with its activation: activation(x W^T + b) for x [..., in], W
     * [out, in] and b [out] (or null), as one GEMM with the leading axes folded into the rows
     * and then, row by row while the row is in cache, the bias added and the activation (or
     * null) applied in place. Every element gets exactly the operations of matmul, add and the
     * activation's own op in turn, so the result equals theirs to the bit, without their two
     * intermediate tensors and passes.
     */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation) {
        Elementwise.requireSameDType("linear", x, weight);
        Shape sx = x.shape();
        Shape sw = weight.shape();
        if (sx.rank() < 2 || sw.rank() != 2 || sx.dim(-1) != sw.dim(1)) {
            throw ShapeException.of("linear", "needs input [..., in] with rank >= 2 and weight [out, in]", sx, sw);
        }
        int in = sw.dim(1);
        int out = sw.dim(0);
        if (bias != null) {
            Elementwise.requireSameDType("linear", x, bias);
            if (bias.rank() != 1 || bias.dim(0) != out) {
                throw ShapeException.of("linear", "needs bias [out] for weight [out, in]", sw, bias.shape());
            }
        }
        int[] outDims = sx.dims();
        outDims[outDims.length - 1] = out;
        Device device = bias == null ? Devices.common("linear", x, weight) : Devices.common("linear", x, weight, bias);
        Tensor y = Tensor.output(device, x.dtype(), Shape.of(outDims));
        int rows = sx.size() / in;
        Elementwise.requireFloating("linear", x.dtype());
        TypedKernels<Object> k = device.kernels(x.dtype());
        Object c = y.storage().buffer();
        k.gemm(false, true, rows, out, in, 1.0, Devices.on(device, x).storage().buffer(), 0, in,
                Devices.on(device, weight).storage().buffer(), 0, in, 0.0, c, 0, out);
        if (bias == null && activation == null) {
            return y;
        }
        if (device != Device.host()) {
            // One call per step instead of one per row: on an accelerator each call is a launch.
            if (bias != null) {
                device.binary(BinaryOp.ADD, x.dtype(), Strided.broadcast(y.shape(), y.shape(), bias.shape()), c,
                        Devices.on(device, bias).storage().buffer(), c);
            }
            if (activation != null) {
                k.unary(activation, c, 0, c, 0, y.size());
            }
            return y;
        }
        Object b = bias == null ? null : bias.storage().array();
        Parallel.forRange(rows, Math.max(1, Strided.PARALLEL_THRESHOLD / out), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (b != null) {
                    k.binary(BinaryOp.ADD, c, r * out, 1, b, 0, 1, c, r * out, out);
                }
                if (activation != null) {
                    k.unary(activation, c, r * out, c, r * out, out);
                }
            }
        });
        return y;
    }

    /** Start of each broadcast batch's matrix inside an operand with the given batch shape. */
    /** The common difference of offsets that step evenly (0 for a repeated operand), or -1. */
    private static int uniformStride(int[] offsets) {
        int stride = offsets.length < 2 ? 0 : offsets[1] - offsets[0];
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] - offsets[i - 1] != stride) {
                return -1;
            }
        }
        return stride < 0 ? -1 : stride;
    }

    private static int[] batchOffsets(Shape batch, Shape operand, int matrixSize) {
        int[] offsets = new int[batch.size()];
        int rank = batch.rank();
        int lead = rank - operand.rank();
        int[] index = new int[rank];
        for (int flat = 0; flat < offsets.length; flat++) {
            int off = 0;
            for (int i = lead; i < rank; i++) {
                int d = operand.dim(i - lead);
                off = off * d + (d == 1 ? 0 : index[i]);
            }
            offsets[flat] = off * matrixSize;
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < batch.dim(i)) {
                    break;
                }
                index[i] = 0;
            }
        }
        return offsets;
    }
}
