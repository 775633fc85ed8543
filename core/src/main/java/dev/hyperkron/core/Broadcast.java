package dev.hyperkron.core;

import dev.hyperkron.core.kernels.Parallel;

/**
 * Walks a broadcast result row by row for up to three operands. Dimensions of size 1 in the
 * result are dropped and adjacent dimensions that are contiguous for every operand are merged,
 * so a kernel sees the longest possible runs: in each run an operand is either contiguous
 * (increment 1) or a repeated element (increment 0).
 */
final class Broadcast {
    /** Elements below which a loop stays on the calling thread. */
    static final int PARALLEL_THRESHOLD = 1 << 15;
    /** Split points of a run are multiples of this, a multiple of every SIMD width. */
    static final int ALIGN = 64;

    /** Receives one run: operand offsets, output offset and run length. */
    @FunctionalInterface
    interface RowBody {
        void run(int off0, int off1, int off2, int outOff, int len);
    }

    private final int[] outerDims;
    private final int[][] outerStrides;
    private final int[] incs;
    private final int rowLen;
    private final int rows;

    private Broadcast(int[] outerDims, int[][] outerStrides, int[] incs, int rowLen) {
        this.outerDims = outerDims;
        this.outerStrides = outerStrides;
        this.incs = incs;
        this.rowLen = rowLen;
        int r = 1;
        for (int d : outerDims) {
            r *= d;
        }
        this.rows = r;
    }

    /** The plan for writing {@code out} from operands that each broadcast to it. */
    static Broadcast plan(Shape out, Shape... operands) {
        int rank = out.rank();
        int n = operands.length;
        int[] dims = new int[rank];
        int[][] strides = new int[n][rank];
        int kept = 0;
        for (int i = 0; i < rank; i++) {
            int d = out.dim(i);
            if (d == 1) {
                continue;
            }
            dims[kept] = d;
            for (int k = 0; k < n; k++) {
                Shape s = operands[k];
                int j = i - (rank - s.rank());
                strides[k][kept] = j < 0 || s.dim(j) == 1 ? 0 : s.sizeOf(j + 1, s.rank());
            }
            kept++;
        }
        // Merge dimension i into i+1 where every operand is contiguous across the pair.
        int m = 0;
        for (int i = 0; i < kept; i++) {
            if (m > 0 && mergeable(strides, m - 1, dims, i)) {
                dims[m - 1] *= dims[i];
                for (int k = 0; k < n; k++) {
                    strides[k][m - 1] = strides[k][i];
                }
            } else {
                dims[m] = dims[i];
                for (int k = 0; k < n; k++) {
                    strides[k][m] = strides[k][i];
                }
                m++;
            }
        }
        int rowLen = m == 0 ? (out.size() == 0 ? 0 : 1) : dims[m - 1];
        int outer = Math.max(0, m - 1);
        int[] outerDims = java.util.Arrays.copyOf(dims, outer);
        int[][] outerStrides = new int[n][];
        int[] incs = new int[n];
        for (int k = 0; k < n; k++) {
            outerStrides[k] = java.util.Arrays.copyOf(strides[k], outer);
            incs[k] = m == 0 ? 0 : strides[k][m - 1];
        }
        return new Broadcast(outerDims, outerStrides, incs, rowLen);
    }

    private static boolean mergeable(int[][] strides, int prev, int[] dims, int next) {
        for (int[] s : strides) {
            if (s[prev] != s[next] * dims[next]) {
                return false;
            }
        }
        return true;
    }

    /** Increment (0 or 1) of operand k within a run; 0 for an operand the plan does not have. */
    int inc(int k) {
        return k < incs.length ? incs[k] : 0;
    }

    /** Visits every run, splitting large results over the shared pool. */
    void forEach(RowBody body) {
        long total = (long) rows * rowLen;
        if (total == 0) {
            return;
        }
        if (rows == 1) {
            int minChunk = total < PARALLEL_THRESHOLD ? rowLen : PARALLEL_THRESHOLD / 2;
            Parallel.forRange(rowLen, minChunk, ALIGN, (from, to) ->
                    body.run(from * inc(0), from * inc(1), from * inc(2), from, to - from));
            return;
        }
        int minRows = Math.max(1, Math.min(rows, PARALLEL_THRESHOLD / Math.max(1, rowLen)));
        if (total < PARALLEL_THRESHOLD) {
            minRows = rows;
        }
        Parallel.forRange(rows, minRows, (from, to) -> visitRows(from, to, body));
    }

    private void visitRows(int from, int to, RowBody body) {
        int n = outerDims.length;
        int[] index = new int[n];
        int rem = from;
        for (int i = n - 1; i >= 0; i--) {
            index[i] = rem % outerDims[i];
            rem /= outerDims[i];
        }
        int[] off = new int[3];
        for (int k = 0; k < outerStrides.length; k++) {
            for (int i = 0; i < n; i++) {
                off[k] += index[i] * outerStrides[k][i];
            }
        }
        for (int row = from; row < to; row++) {
            body.run(off[0], off[1], off[2], row * rowLen, rowLen);
            for (int i = n - 1; i >= 0; i--) {
                index[i]++;
                for (int k = 0; k < outerStrides.length; k++) {
                    off[k] += outerStrides[k][i];
                }
                if (index[i] < outerDims[i]) {
                    break;
                }
                for (int k = 0; k < outerStrides.length; k++) {
                    off[k] -= outerStrides[k][i] * outerDims[i];
                }
                index[i] = 0;
            }
        }
    }
}
