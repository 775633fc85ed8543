package dev.hyperkron.core;

import dev.hyperkron.core.kernels.TypedKernels;

/** Index-driven ops: gather and its adjoint scatter-add, index-select and index-add, one-hot. */
final class Indexing {
    private Indexing() {
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = checkGatherShapes("gather", x.shape(), axis, index);
        Tensor out = Tensor.output(x.device(), x.dtype(), index.shape());
        x.device().gather(x.dtype(), x.storage().buffer(), sourcePositions("gather", x.shape(), a, index),
                out.storage().buffer());
        return out;
    }

    static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        Elementwise.requireSameDType("scatterAdd", x, src);
        Elementwise.requireFloating("scatterAdd", x.dtype());
        Device device = Devices.common("scatterAdd", x, src);
        if (!index.shape().equals(src.shape())) {
            throw ShapeException.of("scatterAdd", "index and src must have the same shape", index.shape(), src.shape());
        }
        int a = checkGatherShapes("scatterAdd", x.shape(), axis, index);
        int[] dst = sourcePositions("scatterAdd", x.shape(), a, index);
        Tensor out = Devices.on(device, x).copy();
        device.scatterAdd(x.dtype(), Devices.on(device, src).storage().buffer(), dst, out.storage().buffer());
        return out;
    }

    static Tensor indexSelect(Tensor x, int axis, Tensor indices) {
        Shape s = x.shape();
        int a = s.axis("indexSelect", axis);
        int[] idx = checkIndices("indexSelect", s, a, indices);
        int d = s.dim(a);
        int outer = s.sizeOf(0, a);
        int inner = s.sizeOf(a + 1, s.rank());
        Tensor out = Tensor.output(x.device(), x.dtype(), s.withDim(a, idx.length));
        if (x.device() != Device.host()) {
            x.device().gather(x.dtype(), x.storage().buffer(), blockPositions(outer, idx, d, inner), out.storage().buffer());
            return out;
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(x.storage().array(), (o * d + idx[j]) * inner,
                        out.storage().array(), (o * idx.length + j) * inner, inner);
            }
        }
        return out;
    }

    static Tensor indexAdd(Tensor x, int axis, Tensor indices, Tensor src) {
        Elementwise.requireSameDType("indexAdd", x, src);
        Elementwise.requireFloating("indexAdd", x.dtype());
        Device device = Devices.common("indexAdd", x, src);
        Shape s = x.shape();
        int a = s.axis("indexAdd", axis);
        int[] idx = checkIndices("indexAdd", s, a, indices);
        if (!src.shape().equals(s.withDim(a, idx.length))) {
            throw ShapeException.of("indexAdd", "src must match the target with axis " + a + " of size "
                    + idx.length, s, src.shape());
        }
        int d = s.dim(a);
        int outer = s.sizeOf(0, a);
        int inner = s.sizeOf(a + 1, s.rank());
        Tensor out = Devices.on(device, x).copy();
        if (device != Device.host()) {
            device.scatterAdd(x.dtype(), Devices.on(device, src).storage().buffer(), blockPositions(outer, idx, d, inner),
                    out.storage().buffer());
            return out;
        }
        TypedKernels<Object> k = device.kernels(x.dtype());
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                k.axpy(1.0, src.storage().array(), (o * idx.length + j) * inner,
                        out.storage().array(), (o * d + idx[j]) * inner, inner);
            }
        }
        return out;
    }

    static Tensor oneHot(Tensor indices, int numClasses, DType dtype) {
        requireIntegral("oneHot", indices);
        if (numClasses < 1) {
            throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        }
        int[] dims = java.util.Arrays.copyOf(indices.shape().dims(), indices.rank() + 1);
        dims[indices.rank()] = numClasses;
        Tensor out = Tensor.zeros(dtype, Shape.of(dims));
        for (int i = 0; i < indices.size(); i++) {
            long c = indices.storage().getLong(i);
            if (c < 0 || c >= numClasses) {
                throw new IndexOutOfBoundsException("oneHot: class index " + c + " at position " + i
                        + " is outside [0, " + numClasses + ")");
            }
            out.storage().setDouble(i * numClasses + (int) c, 1);
        }
        return out;
    }

    /**
     * The flat positions in a tensor [outer, d, inner] of the elements that index-select picks
     * with {@code idx} along the middle axis, in the order of the result [outer, idx.length, inner].
     */
    private static int[] blockPositions(int outer, int[] idx, int d, int inner) {
        int[] positions = new int[outer * idx.length * inner];
        int p = 0;
        for (int o = 0; o < outer; o++) {
            for (int j : idx) {
                int start = (o * d + j) * inner;
                for (int i = 0; i < inner; i++) {
                    positions[p++] = start + i;
                }
            }
        }
        return positions;
    }

    /** Validates torch.gather's shape rules and returns the normalized axis. */
    private static int checkGatherShapes(String op, Shape s, int axis, Tensor index) {
        requireIntegral(op, index);
        int a = s.axis(op, axis);
        Shape is = index.shape();
        if (is.rank() != s.rank()) {
            throw ShapeException.of(op, "index must have the same rank as the input", s, is);
        }
        for (int i = 0; i < s.rank(); i++) {
            if (i != a && is.dim(i) > s.dim(i)) {
                throw ShapeException.of(op, "index dimension " + i + " exceeds the input's", s, is);
            }
        }
        return a;
    }

    /** Flat input position of every index element (the input coordinate along axis replaced by the index). */
    private static int[] sourcePositions(String op, Shape s, int a, Tensor index) {
        Shape is = index.shape();
        long[] targets = index.dtype() == DType.I64 ? (long[]) index.storage().array() : index.toLongArray();
        int d = s.dim(a);
        int[] pos = new int[is.size()];
        for (int flat = 0; flat < pos.length; flat++) {
            if (targets[flat] < 0 || targets[flat] >= d) {
                throw new IndexOutOfBoundsException(op + ": index " + targets[flat] + " is outside [0, " + d
                        + ") along axis " + a + " of shape " + s);
            }
        }
        if (is.withDim(a, d).equals(s)) {
            // The usual case: the index covers the input except along the axis, so rows line up.
            int len = is.dim(a);
            int inner = is.sizeOf(a + 1, is.rank());
            int outer = is.sizeOf(0, a);
            int flat = 0;
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < len; j++) {
                    for (int i = 0; i < inner; i++, flat++) {
                        pos[flat] = (o * d + (int) targets[flat]) * inner + i;
                    }
                }
            }
            return pos;
        }
        int[] strides = s.strides();
        int[] coord = new int[is.rank()];
        for (int flat = 0; flat < pos.length; flat++) {
            int p = 0;
            for (int i = 0; i < coord.length; i++) {
                p += (i == a ? (int) targets[flat] : coord[i]) * strides[i];
            }
            pos[flat] = p;
            for (int i = coord.length - 1; i >= 0; i--) {
                if (++coord[i] < is.dim(i)) {
                    break;
                }
                coord[i] = 0;
            }
        }
        return pos;
    }

    private static int[] checkIndices(String op, Shape s, int a, Tensor indices) {
        requireIntegral(op, indices);
        if (indices.rank() != 1) {
            throw ShapeException.of(op, "indices must be 1-D", indices.shape());
        }
        int d = s.dim(a);
        int[] idx = new int[indices.size()];
        for (int j = 0; j < idx.length; j++) {
            long v = indices.storage().getLong(j);
            if (v < 0 || v >= d) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is outside [0, " + d
                        + ") along axis " + a + " of shape " + s);
            }
            idx[j] = (int) v;
        }
        return idx;
    }

    private static void requireIntegral(String op, Tensor indices) {
        if (indices.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": indices must be an integer tensor (I64, I32 or U8), got "
                    + indices.dtype());
        }
    }
}
