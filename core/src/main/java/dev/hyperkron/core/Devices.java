package dev.hyperkron.core;

import dev.hyperkron.core.kernels.Parallel;

/** Which device an op runs on, given its operands, and the loops that differ between the host and the others. */
final class Devices {
    private Devices() {
    }

    /**
     * The device of the operands. They must share one, except that a one-element host tensor (a
     * scalar such as the 2 in {@code x.mul(2)}) joins operands on another device.
     */
    static Device common(String op, Tensor... operands) {
        Device found = null;
        for (Tensor t : operands) {
            Device d = t.device();
            if (found == null || found == d) {
                found = d;
            } else if (found == Device.host() && onlyHostScalars(operands, d)) {
                found = d;
            } else if (d != Device.host() || t.size() != 1) {
                throw new IllegalArgumentException(op + ": operands are on different devices (" + found.name()
                        + " and " + d.name() + "); move one with Tensor.to(device)");
            }
        }
        return found == null ? Device.host() : found;
    }

    private static boolean onlyHostScalars(Tensor[] operands, Device other) {
        for (Tensor t : operands) {
            if (t.device() != other && (t.device() != Device.host() || t.size() != 1)) {
                return false;
            }
        }
        return true;
    }

    /** {@code t} on {@code device}: itself, or a one-element host tensor written there (no host copy). */
    static Tensor on(Device device, Tensor t) {
        if (t.device() == device) {
            return t;
        }
        Tensor moved = Tensor.output(device, t.dtype(), t.shape());
        device.fill(t.dtype(), moved.storage().buffer(), 0, 1, t.storage().getDouble(0));
        return moved;
    }

    /** Runs an elementwise body over [0, n): see {@link #forRange(Device, int, int, int, Parallel.RangeBody)}. */
    static void forRange(Device device, int n, Parallel.RangeBody body) {
        forRange(device, n, Strided.PARALLEL_THRESHOLD, Strided.ALIGN, body);
    }

    /**
     * Runs body over [0, n): on the host split over the shared pool as {@link Parallel#forRange(int, int, int,
     * Parallel.RangeBody)} splits it; on another device as one call, since each call there is a launch.
     */
    static void forRange(Device device, int n, int minChunk, int align, Parallel.RangeBody body) {
        if (device == Device.host()) {
            Parallel.forRange(n, minChunk, align, body);
        } else if (n > 0) {
            body.run(0, n);
        }
    }
}
