package dev.hyperkron.core;

import dev.hyperkron.core.kernels.Parallel;
import java.util.Arrays;

/**
 * A walk over the elements of several operands at once (the inputs, then the output), each with
 * its own start offset and element strides per axis; a stride of 0 repeats an element
 * (broadcasting). It is how core hands a broadcast op, a permutation or a block copy to a
 * {@link Device} in one call, whatever the number of rows. Axes of size 1 are dropped and
 * neighbouring axes merged where every operand is contiguous across them, so the last axis is
 * the longest run there can be.
 */
public final class Strided {
    /** Elements below which a host loop stays on the calling thread. */
    static final int PARALLEL_THRESHOLD = 1 << 15;
    /** Split points of a host run are multiples of this, a multiple of every SIMD width. */
    static final int ALIGN = 64;

    private final int[] dims;
    private final int[][] strides;
    private final int[] offsets;
    private final int size;

    private Strided(int[] dims, int[][] strides, int[] offsets) {
        this.dims = dims;
        this.strides = strides;
        this.offsets = offsets;
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.size = n;
    }

    /**
     * The walk that writes a contiguous result of shape {@code out} from inputs that each
     * broadcast to it (NumPy rules; the caller has checked them). The output is the last operand.
     */
    static Strided broadcast(Shape out, Shape... inputs) {
        int rank = out.rank();
        int[][] strides = new int[inputs.length + 1][rank];
        for (int k = 0; k < inputs.length; k++) {
            Shape s = inputs[k];
            for (int i = 0; i < rank; i++) {
                int j = i - (rank - s.rank());
                strides[k][i] = j < 0 || s.dim(j) == 1 ? 0 : s.sizeOf(j + 1, s.rank());
            }
        }
        strides[inputs.length] = out.strides();
        return of(out.dims(), strides, new int[inputs.length + 1]);
    }

    /**
     * A walk over {@code dims} with the given strides and start offsets per operand, simplified:
     * size-1 axes dropped, contiguous neighbours merged. An empty walk keeps a zero dimension.
     */
    static Strided of(int[] dims, int[][] strides, int[] offsets) {
        int operands = strides.length;
        int rank = dims.length;
        int[] d = new int[rank];
        int[][] s = new int[operands][rank];
        int kept = 0;
        for (int i = 0; i < rank; i++) {
            if (dims[i] == 0) {
                return new Strided(new int[] {0}, new int[operands][1], offsets.clone());
            }
            if (dims[i] == 1) {
                continue;
            }
            boolean merge = kept > 0;
            for (int k = 0; k < operands && merge; k++) {
                merge = s[k][kept - 1] == strides[k][i] * dims[i];
            }
            if (merge) {
                d[kept - 1] *= dims[i];
                for (int k = 0; k < operands; k++) {
                    s[k][kept - 1] = strides[k][i];
                }
            } else {
                d[kept] = dims[i];
                for (int k = 0; k < operands; k++) {
                    s[k][kept] = strides[k][i];
                }
                kept++;
            }
        }
        if (kept == 0) {
            return new Strided(new int[] {1}, new int[operands][1], offsets.clone());
        }
        if (kept == rank) {
            return new Strided(d, s, offsets.clone());
        }
        for (int k = 0; k < operands; k++) {
            s[k] = Arrays.copyOf(s[k], kept);
        }
        return new Strided(Arrays.copyOf(d, kept), s, offsets.clone());
    }

    /** The number of axes after simplification (at least 1). */
    public int rank() {
        return dims.length;
    }

    /** The length of axis {@code axis}. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** The number of operands: the inputs, then the output. */
    public int operands() {
        return strides.length;
    }

    /** Elements of operand {@code k} between neighbours along {@code axis}. */
    public int stride(int k, int axis) {
        return strides[k][axis];
    }

    /** Where operand {@code k}'s first element is. */
    public int offset(int k) {
        return offsets[k];
    }

    /** The number of elements walked (the product of the dimensions). */
    public int size() {
        return size;
    }

    /** The position in operand {@code k} of the element with row-major index {@code flat}. */
    public int position(int k, int flat) {
        int p = offsets[k];
        int rem = flat;
        for (int i = dims.length - 1; i >= 0; i--) {
            p += (rem % dims[i]) * strides[k][i];
            rem /= dims[i];
        }
        return p;
    }

    /** Receives one run along the last axis: each operand's offset at its start, and its length. */
    @FunctionalInterface
    interface RowBody {
        void run(int[] offsets, int len);
    }

    /**
     * Visits every run along the last axis on the host, splitting large walks over the shared
     * pool (a single long run is split at multiples of {@link #ALIGN}). The offsets array a body
     * receives is the walker's own: it must not change it, and it changes after each call.
     */
    void forEachRow(RowBody body) {
        if (size == 0) {
            return;
        }
        int last = dims.length - 1;
        int rowLen = dims[last];
        int rows = size / rowLen;
        if (size < PARALLEL_THRESHOLD) {
            visitRows(0, rows, body);
            return;
        }
        if (rows == 1) {
            Parallel.forRange(rowLen, PARALLEL_THRESHOLD / 2, ALIGN, (from, to) -> {
                int[] off = new int[offsets.length];
                for (int k = 0; k < off.length; k++) {
                    off[k] = offsets[k] + from * strides[k][last];
                }
                body.run(off, to - from);
            });
            return;
        }
        int minRows = Math.max(1, Math.min(rows, PARALLEL_THRESHOLD / rowLen));
        Parallel.forRange(rows, minRows, (from, to) -> visitRows(from, to, body));
    }

    private void visitRows(int from, int to, RowBody body) {
        int outer = dims.length - 1;
        int operands = offsets.length;
        int[] index = new int[outer];
        int[] off = offsets.clone();
        int rem = from;
        for (int i = outer - 1; i >= 0; i--) {
            index[i] = rem % dims[i];
            rem /= dims[i];
            for (int k = 0; k < operands; k++) {
                off[k] += index[i] * strides[k][i];
            }
        }
        int rowLen = dims[outer];
        for (int row = from; row < to; row++) {
            body.run(off, rowLen);
            for (int i = outer - 1; i >= 0; i--) {
                index[i]++;
                for (int k = 0; k < operands; k++) {
                    off[k] += strides[k][i];
                }
                if (index[i] < dims[i]) {
                    break;
                }
                for (int k = 0; k < operands; k++) {
                    off[k] -= strides[k][i] * dims[i];
                }
                index[i] = 0;
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Strided(dims ").append(Arrays.toString(dims));
        for (int k = 0; k < strides.length; k++) {
            sb.append(", operand ").append(k).append(" at ").append(offsets[k]).append(" strides ")
                    .append(Arrays.toString(strides[k]));
        }
        return sb.append(')').toString();
    }
}
