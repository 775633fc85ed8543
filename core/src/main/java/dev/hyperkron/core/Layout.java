package dev.hyperkron.core;

import java.util.Arrays;

/** Ops that move elements without arithmetic: reshape, permute, slice, pad, concat, expand. */
final class Layout {
    private Layout() {
    }

    static Tensor reshape(Tensor x, int[] dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw reshapeError(x, dims, "only one dimension may be -1");
                }
                infer = i;
            } else if (d[i] < 0) {
                throw reshapeError(x, dims, "negative dimension " + d[i]);
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw reshapeError(x, dims, "cannot infer the -1 dimension");
            }
            d[infer] = (int) (x.size() / known);
        } else if (known != x.size()) {
            throw reshapeError(x, dims, "sizes differ (" + x.size() + " vs " + known + ")");
        }
        return Tensor.wrap(x.storage(), Shape.of(d));
    }

    private static ShapeException reshapeError(Tensor x, int[] dims, String problem) {
        return new ShapeException("reshape: cannot reshape " + x.shape() + " to " + Arrays.toString(dims) + ": " + problem);
    }

    static Tensor permute(Tensor x, int[] perm) {
        Shape s = x.shape();
        int rank = s.rank();
        if (perm.length != rank) {
            throw ShapeException.of("permute", "permutation " + Arrays.toString(perm) + " has the wrong length", s);
        }
        boolean[] seen = new boolean[rank];
        int[] p = new int[rank];
        boolean identity = true;
        for (int i = 0; i < rank; i++) {
            int a = s.axis("permute", perm[i]);
            if (seen[a]) {
                throw ShapeException.of("permute", Arrays.toString(perm) + " is not a permutation", s);
            }
            seen[a] = true;
            p[i] = a;
            identity &= a == i;
        }
        if (identity) {
            return x;
        }
        int[] inStrides = s.strides();
        int[] outDims = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = s.dim(p[i]);
            strides[i] = inStrides[p[i]];
        }
        Shape outShape = Shape.of(outDims);
        Tensor out = Tensor.output(x.device(), x.dtype(), outShape);
        copy(x, Strided.of(outDims, new int[][] {strides, outShape.strides()}, new int[2]), out);
        return out;
    }

    /** Copies x into out along a two-operand walk (x's positions, then out's). */
    private static void copy(Tensor x, Strided walk, Tensor out) {
        x.device().copy(x.dtype(), walk, x.storage().buffer(), out.storage().buffer());
    }

    /**
     * Copies {@code outer} blocks of {@code chunk} contiguous elements: block o from
     * {@code srcOff + o * srcStride} in x to {@code dstOff + o * dstStride} in out.
     */
    private static void copyBlocks(Tensor x, int srcOff, int srcStride, Tensor out, int dstOff, int dstStride,
                                   int outer, int chunk) {
        copy(x, Strided.of(new int[] {outer, chunk}, new int[][] {{srcStride, 1}, {dstStride, 1}},
                new int[] {srcOff, dstOff}), out);
    }

    static Tensor transpose(Tensor x, int axis0, int axis1) {
        int[] perm = new int[x.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int a = x.shape().axis("transpose", axis0);
        int b = x.shape().axis("transpose", axis1);
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        Shape s = x.shape();
        int a = s.axis("slice", axis);
        int d = s.dim(a);
        if (start < 0 || end > d || start > end) {
            throw ShapeException.of("slice", "range [" + start + ", " + end + ") is invalid for axis " + a
                    + " of size " + d, s);
        }
        Tensor out = Tensor.output(x.device(), x.dtype(), s.withDim(a, end - start));
        int outer = s.sizeOf(0, a);
        int inner = s.sizeOf(a + 1, s.rank());
        int chunk = (end - start) * inner;
        copyBlocks(x, start * inner, d * inner, out, 0, chunk, outer, chunk);
        return out;
    }

    static Tensor pad(Tensor x, int axis, int before, int after) {
        Shape s = x.shape();
        int a = s.axis("pad", axis);
        if (before < 0 || after < 0) {
            throw ShapeException.of("pad", "padding must be non-negative, got " + before + " and " + after, s);
        }
        int d = s.dim(a);
        int padded = d + before + after;
        Tensor out = Tensor.zeros(x.device(), x.dtype(), s.withDim(a, padded));
        int outer = s.sizeOf(0, a);
        int inner = s.sizeOf(a + 1, s.rank());
        copyBlocks(x, 0, d * inner, out, before * inner, padded * inner, outer, d * inner);
        return out;
    }

    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) {
            throw new ShapeException("concat: needs at least one tensor");
        }
        Shape first = parts[0].shape();
        int a = first.axis("concat", axis);
        int total = 0;
        for (Tensor t : parts) {
            Shape s = t.shape();
            if (t.dtype() != parts[0].dtype()) {
                throw new IllegalArgumentException("concat: dtypes differ (" + parts[0].dtype() + " and " + t.dtype() + ")");
            }
            if (s.rank() != first.rank() || !s.withDim(a, 1).equals(first.withDim(a, 1))) {
                throw ShapeException.of("concat", "shapes differ outside axis " + a, first, s);
            }
            total += s.dim(a);
        }
        Device device = Devices.common("concat", parts);
        Tensor out = Tensor.output(device, parts[0].dtype(), first.withDim(a, total));
        int outer = first.sizeOf(0, a);
        int inner = first.sizeOf(a + 1, first.rank());
        int offset = 0;
        for (Tensor t : parts) {
            int chunk = t.shape().dim(a) * inner;
            copyBlocks(Devices.on(device, t), 0, chunk, out, offset, total * inner, outer, chunk);
            offset += chunk;
        }
        return out;
    }

    static Tensor expand(Tensor x, Shape target) {
        if (x.shape().equals(target)) {
            return x;
        }
        if (!x.shape().broadcastsTo(target)) {
            throw ShapeException.of("expand", "source does not broadcast to the target", x.shape(), target);
        }
        Tensor out = Tensor.output(x.device(), x.dtype(), target);
        copy(x, Strided.broadcast(target, x.shape()), out);
        return out;
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int rank = x.rank();
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank) {
            throw ShapeException.of("unsqueeze", "axis " + axis + " is out of range", x.shape());
        }
        int[] d = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            d[i] = i == a ? 1 : x.shape().dim(j++);
        }
        return Tensor.wrap(x.storage(), Shape.of(d));
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = x.shape().axis("squeeze", axis);
        if (x.shape().dim(a) != 1) {
            throw ShapeException.of("squeeze", "axis " + axis + " has size " + x.shape().dim(a) + ", not 1", x.shape());
        }
        int[] d = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != a) {
                d[j++] = x.shape().dim(i);
            }
        }
        return Tensor.wrap(x.storage(), Shape.of(d));
    }
}
