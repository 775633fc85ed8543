package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.VectorKernelsF32.LANES;
import static dev.hyperkron.core.kernels.VectorKernelsF32.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD reductions (sum, max, min along an axis, and the dot product). Sums accumulate in vector
 * lanes of the storage type over fixed blocks whose partial results are combined in double, which
 * bounds the rounding error of long float sums; the blocks are the same for any thread count, so
 * the result does not depend on it.
 */
// Its (float) casts are needed here but redundant in the generated F64 twin, where they read (double).
@SuppressWarnings("cast")
final class VectorReductionsF32 {
    /** Elements one contiguous block reduces in vector lanes before its partial moves to a double. */
    private static final int BLOCK = 4096;
    /** Rows a column reduction accumulates before folding the partial into the output. */
    private static final int ROW_BLOCK = 256;
    /** Widest run of columns one task of a column reduction keeps in its accumulator. */
    private static final int MAX_COLUMN_TILE = 1024;
    /** Elements below which a reduction stays on the calling thread. */
    private static final int PARALLEL_WORK = 1 << 16;
    /** Independent accumulators in the contiguous loops, to hide the latency of vector adds. */
    private static final int UNROLL = 4;

    private VectorReductionsF32() {
    }

    /** A reduction of the elements [start, start + length) of one contiguous run, in double. */
    @FunctionalInterface
    private interface BlockReduction {
        double reduce(int start, int length);
    }

    /** See {@link TypedKernels#reduce}. */
    static void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff) {
        if (inner == 1) {
            reduceRows(op, x, xOff, outer, len, out, outOff);
        } else {
            reduceColumns(op, x, xOff, outer, len, inner, out, outOff);
        }
    }

    /** See {@link TypedKernels#dot}. */
    static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return blockwise(ReduceOp.SUM, Math.max(n, 0), (start, length) -> dotBlock(a, aOff + start, b, bOff + start, length));
    }

    /** Each of the outer rows of len contiguous elements reduces to one output element. */
    private static void reduceRows(ReduceOp op, float[] x, int xOff, int outer, int len, float[] out, int outOff) {
        int minRows = Math.max(1, PARALLEL_WORK / Math.max(1, len));
        Parallel.forRange(outer, minRows, (from, to) -> {
            for (int o = from; o < to; o++) {
                int row = xOff + o * len;
                double r = len <= BLOCK
                        ? reduceBlock(op, x, row, len)
                        : blockwise(op, len, (start, length) -> reduceBlock(op, x, row + start, length));
                out[outOff + o] = (float) r;
            }
        });
    }

    /**
     * Splits [0, n) into fixed blocks, reduces them (in parallel when there is enough work) and
     * combines the partials in order, in double.
     */
    private static double blockwise(ReduceOp combine, int n, BlockReduction block) {
        if (n <= BLOCK) {
            return block.reduce(0, n);
        }
        double[] partial = new double[(n + BLOCK - 1) / BLOCK];
        Parallel.forRange(partial.length, PARALLEL_WORK / BLOCK, (from, to) -> {
            for (int k = from; k < to; k++) {
                int start = k * BLOCK;
                partial[k] = block.reduce(start, Math.min(BLOCK, n - start));
            }
        });
        double acc = combine.identity();
        for (double p : partial) {
            acc = combine.combine(acc, p);
        }
        return acc;
    }

    private static double reduceBlock(ReduceOp op, float[] x, int off, int len) {
        return switch (op) {
            case SUM -> sum(x, off, len);
            case MAX -> max(x, off, len);
            case MIN -> min(x, off, len);
        };
    }

    private static double sum(float[] x, int off, int len) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i <= len - UNROLL * LANES; i += UNROLL * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, off + i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, x, off + i + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, x, off + i + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, x, off + i + 3 * LANES));
        }
        for (; i <= len - LANES; i += LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, off + i));
        }
        double acc = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < len; i++) {
            acc += x[off + i];
        }
        return acc;
    }

    private static double max(float[] x, int off, int len) {
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = 0;
        for (; i <= len - UNROLL * LANES; i += UNROLL * LANES) {
            m0 = m0.max(FloatVector.fromArray(SPECIES, x, off + i));
            m1 = m1.max(FloatVector.fromArray(SPECIES, x, off + i + LANES));
            m2 = m2.max(FloatVector.fromArray(SPECIES, x, off + i + 2 * LANES));
            m3 = m3.max(FloatVector.fromArray(SPECIES, x, off + i + 3 * LANES));
        }
        for (; i <= len - LANES; i += LANES) {
            m0 = m0.max(FloatVector.fromArray(SPECIES, x, off + i));
        }
        double acc = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            acc = Math.max(acc, x[off + i]);
        }
        return acc;
    }

    private static double min(float[] x, int off, int len) {
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = 0;
        for (; i <= len - UNROLL * LANES; i += UNROLL * LANES) {
            m0 = m0.min(FloatVector.fromArray(SPECIES, x, off + i));
            m1 = m1.min(FloatVector.fromArray(SPECIES, x, off + i + LANES));
            m2 = m2.min(FloatVector.fromArray(SPECIES, x, off + i + 2 * LANES));
            m3 = m3.min(FloatVector.fromArray(SPECIES, x, off + i + 3 * LANES));
        }
        for (; i <= len - LANES; i += LANES) {
            m0 = m0.min(FloatVector.fromArray(SPECIES, x, off + i));
        }
        double acc = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
        for (; i < len; i++) {
            acc = Math.min(acc, x[off + i]);
        }
        return acc;
    }

    private static double dotBlock(float[] a, int aOff, float[] b, int bOff, int len) {
        // Multiply then add rather than fma: Vector API fma falls back to a slow per-lane path
        // on CPUs without FMA units, and the block partials already bound the rounding error.
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i <= len - UNROLL * LANES; i += UNROLL * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, aOff + i).mul(FloatVector.fromArray(SPECIES, b, bOff + i)));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                    .mul(FloatVector.fromArray(SPECIES, b, bOff + i + LANES)));
            s2 = s2.add(FloatVector.fromArray(SPECIES, a, aOff + i + 2 * LANES)
                    .mul(FloatVector.fromArray(SPECIES, b, bOff + i + 2 * LANES)));
            s3 = s3.add(FloatVector.fromArray(SPECIES, a, aOff + i + 3 * LANES)
                    .mul(FloatVector.fromArray(SPECIES, b, bOff + i + 3 * LANES)));
        }
        for (; i <= len - LANES; i += LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, aOff + i).mul(FloatVector.fromArray(SPECIES, b, bOff + i)));
        }
        double acc = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < len; i++) {
            acc += (double) a[aOff + i] * b[bOff + i];
        }
        return acc;
    }

    /**
     * Each column of each outer slice reduces over len rows. Tasks own a tile of columns and
     * stream through the rows, so x is read contiguously; a partial over ROW_BLOCK rows is folded
     * into the output, bounding the rounding error of long sums. Every column sees the same
     * sequence of operations whatever the tile, so the result does not depend on the thread count.
     */
    private static void reduceColumns(ReduceOp op, float[] x, int xOff, int outer, int len, int inner,
                                      float[] out, int outOff) {
        if (outer == 0 || inner == 0) {
            return;
        }
        int tile = columnTile(inner);
        int tilesPerSlice = (inner + tile - 1) / tile;
        long workPerTask = Math.max(1L, (long) len * tile);
        int minTasks = (int) Math.max(1, PARALLEL_WORK / workPerTask);
        float identity = (float) op.identity();
        Parallel.forRange(outer * tilesPerSlice, minTasks, (from, to) -> {
            float[] partial = len > ROW_BLOCK ? new float[tile] : null;
            for (int task = from; task < to; task++) {
                int o = task / tilesPerSlice;
                int column = (task % tilesPerSlice) * tile;
                int width = Math.min(tile, inner - column);
                int dst = outOff + o * inner + column;
                int src = xOff + o * len * inner + column;
                // The first block goes straight into the output: the same result as folding its partial.
                java.util.Arrays.fill(out, dst, dst + width, identity);
                combineRows(op, x, src, Math.min(ROW_BLOCK, len), inner, width, out, dst);
                for (int r = ROW_BLOCK; r < len; r += ROW_BLOCK) {
                    int rows = Math.min(ROW_BLOCK, len - r);
                    java.util.Arrays.fill(partial, 0, width, identity);
                    combineRows(op, x, src + r * inner, rows, inner, width, partial, 0);
                    combineRows(op, partial, 0, 1, width, width, out, dst);
                }
            }
        });
    }

    /** Columns per task: all of them if one task can hold them, else split evenly over the threads. */
    private static int columnTile(int inner) {
        int perThread = (inner + Parallel.threads() - 1) / Parallel.threads();
        int rounded = (perThread + LANES - 1) / LANES * LANES;
        return Math.min(inner, Math.min(MAX_COLUMN_TILE, Math.max(UNROLL * LANES, rounded)));
    }

    /** acc[accOff + j] = op(acc[accOff + j], src[srcOff + r * stride + j]) for r < rows, j < width. */
    private static void combineRows(ReduceOp op, float[] src, int srcOff, int rows, int stride, int width,
                                    float[] acc, int accOff) {
        switch (op) {
            case SUM -> sumRows(src, srcOff, rows, stride, width, acc, accOff);
            case MAX -> maxRows(src, srcOff, rows, stride, width, acc, accOff);
            case MIN -> minRows(src, srcOff, rows, stride, width, acc, accOff);
        }
    }

    private static void sumRows(float[] src, int srcOff, int rows, int stride, int width, float[] acc, int accOff) {
        int bound = SPECIES.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int row = srcOff + r * stride;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(SPECIES, acc, accOff + j).add(FloatVector.fromArray(SPECIES, src, row + j))
                        .intoArray(acc, accOff + j);
            }
            for (; j < width; j++) {
                acc[accOff + j] += src[row + j];
            }
        }
    }

    private static void maxRows(float[] src, int srcOff, int rows, int stride, int width, float[] acc, int accOff) {
        int bound = SPECIES.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int row = srcOff + r * stride;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(SPECIES, acc, accOff + j).max(FloatVector.fromArray(SPECIES, src, row + j))
                        .intoArray(acc, accOff + j);
            }
            for (; j < width; j++) {
                acc[accOff + j] = Math.max(acc[accOff + j], src[row + j]);
            }
        }
    }

    private static void minRows(float[] src, int srcOff, int rows, int stride, int width, float[] acc, int accOff) {
        int bound = SPECIES.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int row = srcOff + r * stride;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(SPECIES, acc, accOff + j).min(FloatVector.fromArray(SPECIES, src, row + j))
                        .intoArray(acc, accOff + j);
            }
            for (; j < width; j++) {
                acc[accOff + j] = Math.min(acc[accOff + j], src[row + j]);
            }
        }
    }

    /**
     * The lanes' sum in lane order, in double. Not reduceLanes(ADD): its order is unspecified,
     * and the JIT-compiled and interpreted forms really do differ, which would make results
     * depend on whether a kernel happened to be compiled yet.
     */
    private static double sumLanes(FloatVector v) {
        double acc = 0;
        for (float lane : v.toArray()) {
            acc += lane;
        }
        return acc;
    }
}
