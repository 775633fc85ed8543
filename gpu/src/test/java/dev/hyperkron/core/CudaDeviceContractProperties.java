package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.gpu.CudaDevice;
import dev.hyperkron.gpu.CudaTensorDevice;
import dev.hyperkron.gpu.RequiresCuda;
import java.util.Arrays;
import java.util.OptionalLong;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * core's device contract on the CUDA device: every tensor op on tensors in GPU memory leaves its
 * result there, copies nothing to the host on the way, and matches the host within the rounding
 * of cuBLAS, of CUDA's math functions and of a different order of additions; skipped without a device.
 */
@AddLifecycleHook(RequiresCuda.class)
class CudaDeviceContractProperties extends DeviceContract {

    private static CudaTensorDevice cuda() {
        return CudaDevice.get().tensors();
    }

    @Override
    protected Device device() {
        return cuda();
    }

    @Override
    protected OptionalLong downloads() {
        return OptionalLong.of(cuda().downloads());
    }

    /**
     * Element by element: NaN where the host has NaN, the same infinity where it has one, else
     * within {@code elementRel * |expected|} (CUDA's exp, log, tanh, pow are within a few ulps of
     * Java's) plus {@code scaleRel * scale}, where scale is the median magnitude of the finite
     * expected values, at least 1 (the inputs are of order 1 to 30): sums, GEMMs and
     * reductions round in another order, and their error is relative to the values summed, not to
     * a result that cancels to near zero.
     */
    @Override
    protected void assertMatches(String op, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), op + ": dtype");
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), op + ": shape");
        assertSame(Device.host(), actual.device(), op + ": compared on the host");
        if (!expected.dtype().isFloating()) {
            assertEquals(expected, actual, op);
            return;
        }
        boolean f32 = expected.dtype() == DType.F32;
        double elementRel = f32 ? 1e-5 : 1e-13;
        double scaleRel = f32 ? 1e-4 : 1e-12;
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double allowedBase = scaleRel * medianMagnitude(e);
        for (int i = 0; i < e.length; i++) {
            double allowed = elementRel * Math.abs(e[i]) + allowedBase;
            int at = i;
            assertTrue(TestTensors.close(a[i], e[i], allowed), () -> op + ": element " + at + " is " + a[at]
                    + " on " + cuda().name() + ", " + e[at] + " on the host (allowed difference " + allowed + ")");
        }
    }

    private static double medianMagnitude(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).map(Math::abs).sorted().toArray();
        return finite.length == 0 ? 1 : Math.max(1, finite[finite.length / 2]);
    }

    @Example
    void theDeviceIsNamedAfterItsOrdinalAndIsOneInstance() {
        assertEquals("cuda:" + CudaDevice.get().ordinal(), cuda().name());
        assertSame(cuda(), CudaDevice.get().tensors());
        assertTrue(cuda().holds(DType.F32) && cuda().holds(DType.F64) && !cuda().holds(DType.I64));
    }

    @Example
    void aHostScalarJoinsADeviceOpWithoutACopyFromTheHost() {
        Tensor d = Tensor.of(new double[] {1, 2, 3}).to(cuda());
        long uploads = cuda().uploads();
        long downloads = cuda().downloads();
        Tensor r = d.add(1.5).mul(2).sub(Tensor.scalar(DType.F64, 1));
        assertEquals(uploads, cuda().uploads());
        assertEquals(downloads, cuda().downloads());
        assertEquals(Tensor.of(new double[] {4, 6, 8}), r.to(Device.host()));
    }

    @Example
    void aPermutationOfMoreAxesThanOneLaunchWalksIsCopiedExactly() {
        // Ten axes of size 2 under a reversal do not merge: a walk of rank 10, launched per index of its two leading axes.
        int[] dims = new int[10];
        int[] reversed = new int[10];
        for (int i = 0; i < 10; i++) {
            dims[i] = 2;
            reversed[i] = 9 - i;
        }
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = TestTensors.withSpecials(dtype, dims, 11);
            Tensor y = TestTensors.random(dtype, dims, 12);
            Tensor expected = x.permute(reversed).add(y.permute(reversed));
            Tensor actual = x.to(cuda()).permute(reversed).add(y.to(cuda()).permute(reversed));
            TestTensors.assertIdentical(x.permute(reversed), x.to(cuda()).permute(reversed).to(Device.host()));
            TestTensors.assertIdentical(expected, actual.to(Device.host()));
        }
    }

    @Example
    void scatterAddSumsRepeatedPositionsAtomically() {
        // 4096 additions into 3 slots: every position repeats, so the atomics contend.
        int n = 4096;
        long[] index = new long[n];
        double[] src = new double[n];
        for (int i = 0; i < n; i++) {
            index[i] = i % 3;
            src[i] = 0.25 * (i % 7) - 0.5;
        }
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.zeros(dtype, 3);
            Tensor s = Tensor.of(src).cast(dtype);
            Tensor idx = Tensor.of(index);
            Tensor expected = x.scatterAdd(0, idx, s);
            Tensor actual = x.to(cuda()).scatterAdd(0, idx, s.to(cuda()));
            // Quarter multiples: every partial sum is exact in both types, whatever the order.
            TestTensors.assertIdentical(expected, actual.to(Device.host()));
        }
    }
}
