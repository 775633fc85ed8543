package dev.hyperkron.core;

/** Opens core's package-private {@link Strided#of} to the gpu module's tests of the CUDA walk struct. */
public final class StridedWalks {
    private StridedWalks() {
    }

    /** {@link Strided#of}: a walk over {@code dims} with per-operand strides and offsets, simplified. */
    public static Strided of(int[] dims, int[][] strides, int[] offsets) {
        return Strided.of(dims, strides, offsets);
    }
}
