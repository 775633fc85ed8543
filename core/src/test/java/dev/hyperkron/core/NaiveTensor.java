package dev.hyperkron.core;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The test oracle: a row-major array of doubles whose every op is a plain loop over
 * multi-indices with explicit index arithmetic. It shares no code with Broadcast, Layout or
 * the kernels, so agreeing with it means the library's fast paths compute the definition.
 */
final class NaiveTensor {
    final int[] dims;
    final double[] data;

    NaiveTensor(int... dims) {
        this.dims = dims.clone();
        this.data = new double[sizeOf(dims)];
    }

    NaiveTensor(int[] dims, double[] data) {
        if (data.length != sizeOf(dims)) {
            throw new IllegalArgumentException(data.length + " values for dims " + Arrays.toString(dims));
        }
        this.dims = dims.clone();
        this.data = data.clone();
    }

    /** The values of any tensor (integer ones too), widened to double element by element. */
    static NaiveTensor of(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.storage().getDouble(i);
        }
        return new NaiveTensor(t.shape().dims(), d);
    }

    static int sizeOf(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    int size() {
        return data.length;
    }

    int rank() {
        return dims.length;
    }

    /** The multi-index of a row-major flat position. */
    int[] index(int flat) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = flat % dims[i];
            flat /= dims[i];
        }
        return idx;
    }

    int flat(int[] idx) {
        int f = 0;
        for (int i = 0; i < dims.length; i++) {
            if (idx[i] < 0 || idx[i] >= dims[i]) {
                throw new IndexOutOfBoundsException(Arrays.toString(idx) + " in " + Arrays.toString(dims));
            }
            f = f * dims[i] + idx[i];
        }
        return f;
    }

    double get(int... idx) {
        return data[flat(idx)];
    }

    void set(int[] idx, double v) {
        data[flat(idx)] = v;
    }

    /** Rounds every value as storing it in a tensor of {@code dtype} would. */
    NaiveTensor roundedTo(DType dtype) {
        return map(this, v -> dtype == DType.F32 ? (double) (float) v : v);
    }

    Tensor toTensor(DType dtype) {
        Tensor t = Tensor.zeros(dtype, dims);
        for (int i = 0; i < data.length; i++) {
            t.storage().setDouble(i, data[i]);
        }
        return t;
    }

    /** NumPy's broadcast of the given dims, or null when they do not broadcast together. */
    static int[] broadcastDims(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] == 1) {
                    continue;
                }
                if (out[o] != 1 && out[o] != s[i]) {
                    return null;
                }
                out[o] = s[i];
            }
        }
        return out;
    }

    /** The element that position {@code outIndex} of a broadcast result reads from this tensor. */
    double broadcastGet(int[] outIndex) {
        int lead = outIndex.length - dims.length;
        int f = 0;
        for (int i = 0; i < dims.length; i++) {
            f = f * dims[i] + (dims[i] == 1 ? 0 : outIndex[lead + i]);
        }
        return data[f];
    }

    static NaiveTensor map(NaiveTensor x, DoubleUnaryOperator f) {
        NaiveTensor out = new NaiveTensor(x.dims);
        for (int i = 0; i < x.size(); i++) {
            out.data[i] = f.applyAsDouble(x.data[i]);
        }
        return out;
    }

    static NaiveTensor zip(NaiveTensor a, NaiveTensor b, DoubleBinaryOperator f) {
        NaiveTensor out = new NaiveTensor(broadcastDims(a.dims, b.dims));
        for (int i = 0; i < out.size(); i++) {
            int[] idx = out.index(i);
            out.data[i] = f.applyAsDouble(a.broadcastGet(idx), b.broadcastGet(idx));
        }
        return out;
    }

    /** Result dims after reducing the flagged axes (dropped, or kept as 1). */
    static int[] reducedDims(int[] dims, boolean[] reduced, boolean keepDims) {
        int[] out = new int[dims.length];
        int n = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                out[n++] = dims[i];
            } else if (keepDims) {
                out[n++] = 1;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Folds every element into the output position it reduces to, in row-major order. */
    NaiveTensor reduce(boolean[] reduced, boolean keepDims, double identity, DoubleBinaryOperator combine) {
        NaiveTensor out = new NaiveTensor(reducedDims(dims, reduced, keepDims));
        Arrays.fill(out.data, identity);
        for (int i = 0; i < size(); i++) {
            int o = out.flat(reducedIndex(index(i), reduced, keepDims));
            out.data[o] = combine.applyAsDouble(out.data[o], data[i]);
        }
        return out;
    }

    static int[] reducedIndex(int[] idx, boolean[] reduced, boolean keepDims) {
        int[] out = new int[idx.length];
        int n = 0;
        for (int i = 0; i < idx.length; i++) {
            if (!reduced[i]) {
                out[n++] = idx[i];
            } else if (keepDims) {
                out[n++] = 0;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Number of elements folded into each output of a reduction over the flagged axes. */
    int reducedCount(boolean[] reduced) {
        int n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (reduced[i]) {
                n *= dims[i];
            }
        }
        return n;
    }

    /** Sum over all elements of this * other (same dims), in double. */
    double dot(NaiveTensor other) {
        double s = 0;
        for (int i = 0; i < size(); i++) {
            s += data[i] * other.data[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "Naive" + Arrays.toString(dims) + Arrays.toString(Arrays.copyOf(data, Math.min(size(), 12)));
    }
}
