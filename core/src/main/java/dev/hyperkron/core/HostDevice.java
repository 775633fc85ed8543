package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.Kernels;
import dev.hyperkron.core.kernels.TypedKernels;
import java.util.Arrays;

/** The host device: Java arrays, the process's selected kernels, walks split over the shared pool. */
final class HostDevice implements Device {
    static final HostDevice INSTANCE = new HostDevice();

    private HostDevice() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean holds(DType dtype) {
        return true;
    }

    @Override
    public Object allocate(DType dtype, int n) {
        return dtype.allocate(n);
    }

    @Override
    public TypedKernels<Object> kernels(DType dtype) {
        return Kernels.active().of(dtype);
    }

    @Override
    public Object upload(DType dtype, Object hostArray, int n) {
        Object copy = dtype.allocate(n);
        System.arraycopy(hostArray, 0, copy, 0, n);
        return copy;
    }

    @Override
    public Object download(DType dtype, Object buffer, int n) {
        return upload(dtype, buffer, n);
    }

    @Override
    public void fill(DType dtype, Object buffer, int offset, int n, double value) {
        int end = offset + n;
        switch (dtype) {
            case F32 -> Arrays.fill((float[]) buffer, offset, end, (float) value);
            case F64 -> Arrays.fill((double[]) buffer, offset, end, value);
            case I32 -> Arrays.fill((int[]) buffer, offset, end, (int) value);
            case I64 -> Arrays.fill((long[]) buffer, offset, end, (long) value);
            case U8 -> Arrays.fill((byte[]) buffer, offset, end, (byte) (int) value);
        }
    }

    @Override
    public void convert(DType from, Object src, DType to, Object dst, int n) {
        if (from == DType.F32 && to == DType.F64) {
            float[] s = (float[]) src;
            double[] d = (double[]) dst;
            for (int i = 0; i < n; i++) {
                d[i] = s[i];
            }
        } else if (from == DType.F64 && to == DType.F32) {
            double[] s = (double[]) src;
            float[] d = (float[]) dst;
            for (int i = 0; i < n; i++) {
                d[i] = (float) s[i];
            }
        } else {
            Storage in = Storage.wrap(src);
            Storage out = Storage.wrap(dst);
            boolean floating = from.isFloating() || to.isFloating();
            for (int i = 0; i < n; i++) {
                if (floating) {
                    out.setDouble(i, in.getDouble(i));
                } else {
                    out.setLong(i, in.getLong(i));
                }
            }
        }
    }

    @Override
    public void copy(DType dtype, Strided walk, Object src, Object dst) {
        int last = walk.rank() - 1;
        int srcInc = walk.stride(0, last);
        int dstInc = walk.stride(1, last);
        walk.forEachRow((off, len) -> ElementCopy.copy(src, off[0], srcInc, dst, off[1], dstInc, len));
    }

    @Override
    public void binary(BinaryOp op, DType dtype, Strided walk, Object a, Object b, Object out) {
        TypedKernels<Object> k = kernels(dtype);
        int last = walk.rank() - 1;
        int incA = walk.stride(0, last);
        int incB = walk.stride(1, last);
        walk.forEachRow((off, len) -> k.binary(op, a, off[0], incA, b, off[1], incB, out, off[2], len));
    }

    @Override
    public void select(DType dtype, Strided walk, Object cond, Object a, Object b, Object out) {
        TypedKernels<Object> k = kernels(dtype);
        int last = walk.rank() - 1;
        int incC = walk.stride(0, last);
        int incA = walk.stride(1, last);
        int incB = walk.stride(2, last);
        walk.forEachRow((off, len) -> k.select(cond, off[0], incC, a, off[1], incA, b, off[2], incB, out, off[3], len));
    }

    @Override
    public void gather(DType dtype, Object src, int[] positions, Object dst) {
        ElementCopy.gather(src, positions, dst);
    }

    @Override
    public void scatterAdd(DType dtype, Object src, int[] positions, Object dst) {
        if (dtype == DType.F32) {
            float[] from = (float[]) src;
            float[] to = (float[]) dst;
            for (int i = 0; i < positions.length; i++) {
                to[positions[i]] += from[i];
            }
        } else if (dtype == DType.F64) {
            double[] from = (double[]) src;
            double[] to = (double[]) dst;
            for (int i = 0; i < positions.length; i++) {
                to[positions[i]] += from[i];
            }
        } else {
            throw new IllegalArgumentException("scatterAdd: needs a floating tensor (F32 or F64), got " + dtype);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
