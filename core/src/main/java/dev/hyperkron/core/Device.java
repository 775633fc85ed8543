package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.TypedKernels;

/**
 * Where a tensor's elements live, and the operations that work on them there without moving
 * them. The host (Java arrays, the process's selected {@link dev.hyperkron.core.kernels.Kernels})
 * is {@link #host()}; an accelerator module adds another (the {@code gpu} module's CUDA device).
 * Every tensor op runs on the device of its operands and puts its result there, so a chain of ops
 * on device tensors never copies to the host; copies happen at {@link Tensor#to(Device)} and
 * where a value is read ({@link Tensor#item()}, {@link Tensor#toFloatArray()}, ...).
 *
 * <p>A buffer is whatever the device uses for storage (a Java array on the host, a device
 * pointer elsewhere); offsets and lengths are in elements. Devices other than the host hold the
 * floating types only: integer tensors (indices, labels) stay on the host, and ops that take
 * indices read them there.
 */
public interface Device {

    /** The host: Java arrays and the process's CPU kernels. */
    static Device host() {
        return HostDevice.INSTANCE;
    }

    /**
     * The device a user names: "cpu" (or "host") for the host, else a {@link DeviceProvider}'s name
     * such as "cuda" or "cuda:0", looked up on the class path. An {@link IllegalArgumentException}
     * says why when the name is unknown or the device cannot be opened here.
     */
    static Device named(String spec) {
        return DeviceSelection.named(spec);
    }

    /** A short name for messages, such as "cpu" or "cuda:0". */
    String name();

    /** Whether this device can hold elements of {@code dtype}. */
    boolean holds(DType dtype);

    /** A new buffer of {@code n} zeros. */
    Object allocate(DType dtype, int n);

    /**
     * A new buffer of {@code n} elements that the caller overwrites before it reads any (an op's
     * output): a device may skip zeroing it. By default, {@link #allocate}.
     */
    default Object allocateUninitialized(DType dtype, int n) {
        return allocate(dtype, n);
    }

    /** The arithmetic kernels on this device's buffers, for F32 or F64. */
    TypedKernels<Object> kernels(DType dtype);

    /** A new buffer holding the first {@code n} elements of a host array of {@code dtype}. */
    Object upload(DType dtype, Object hostArray, int n);

    /** A new host array holding the first {@code n} elements of a buffer (waits for queued work). */
    Object download(DType dtype, Object buffer, int n);

    /** Sets {@code n} elements from {@code offset} to {@code value} (converted to the dtype). */
    void fill(DType dtype, Object buffer, int offset, int n, double value);

    /**
     * out[0] = the sum of a[i] * b[i] over [0, n), accumulated as the kernels' {@code dot} does and
     * rounded to the dtype, left on the device (no wait for the result). By default, the kernels'
     * dot read back and written with {@link #fill}: exact, but a device should keep it on itself.
     */
    default void dot(DType dtype, Object a, Object b, int n, Object out) {
        fill(dtype, out, 0, 1, kernels(dtype).dot(a, 0, b, 0, n));
    }

    /**
     * The inverse of the symmetric positive definite n x n matrix {@code a}, in a new buffer on
     * this device; null when this device has no solver of its own (the host's linear algebra is
     * then used), a {@link dev.hyperkron.core.linalg.NotPositiveDefiniteException} when
     * {@code a} is not positive definite. By default, null.
     */
    default Object spdInverse(DType dtype, Object a, int n) {
        return null;
    }

    /**
     * Eigenpairs of a symmetric n x n matrix computed on a device: the eigenvalues, ascending, on
     * the host, and the eigenvectors as the columns of an n x n buffer on the device.
     */
    record Eigenpairs(double[] values, Object vectors) {
    }

    /**
     * The eigendecomposition of the symmetric n x n matrix {@code a} by this device's own solver;
     * null when it has none (the host's is then used). By default, null.
     */
    default Eigenpairs symmetricEigen(DType dtype, Object a, int n) {
        return null;
    }

    /** Converts {@code n} elements of one floating type into a buffer of another. */
    void convert(DType from, Object src, DType to, Object dst, int n);

    /** Copies along a two-operand walk (the source, then the destination). */
    void copy(DType dtype, Strided walk, Object src, Object dst);

    /** out = op(a, b) along a three-operand walk (a, b, out) whose last axis has increments 0 or 1. */
    void binary(BinaryOp op, DType dtype, Strided walk, Object a, Object b, Object out);

    /** out = cond != 0 ? a : b along a four-operand walk (cond, a, b, out), increments 0 or 1 on the last axis. */
    void select(DType dtype, Strided walk, Object cond, Object a, Object b, Object out);

    /** dst[i] = src[positions[i]] for every i. */
    void gather(DType dtype, Object src, int[] positions, Object dst);

    /** dst[positions[i]] += src[i] for every i; positions may repeat (the host adds in order, a GPU need not). */
    void scatterAdd(DType dtype, Object src, int[] positions, Object dst);
}
