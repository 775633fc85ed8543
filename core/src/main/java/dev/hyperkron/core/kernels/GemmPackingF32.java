package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a block of op(A) or op(B) into the panel layout the micro-kernel streams through, so
 * that the kernel sees one layout whatever the transposes, strides and offsets of the caller.
 * A block is described by two strides: {@code across} between neighbouring rows of op(A)
 * (columns of op(B)) and {@code along} between neighbouring k indices. Panels are {@code width}
 * wide (MR for A, NR for B): panel q holds, for each k index p, the {@code width} values
 * x = q*width .. q*width+width-1 contiguously; a last partial panel is padded with zeros.
 * The F64 twin is generated from this file at build time.
 */
final class GemmPackingF32 {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private GemmPackingF32() {
    }

    /** Packs the count x kc block whose element (x, p) is src[origin + x*across + p*along] into dst. */
    static void pack(float[] src, int origin, int across, int along, int width, int count, int kc, float[] dst) {
        for (int x0 = 0; x0 < count; x0 += width) {
            int filled = Math.min(width, count - x0);
            int panel = x0 * kc;
            int first = origin + x0 * across;
            if (filled < width) {
                packPartial(src, first, across, along, width, filled, kc, dst, panel);
            } else if (across == 1 && width % LANES == 0) {
                packContiguousVectors(src, first, along, width, kc, dst, panel);
            } else if (across == 1) {
                packContiguous(src, first, along, width, kc, dst, panel);
            } else {
                packStrided(src, first, across, along, width, kc, dst, panel);
            }
        }
    }

    /** A panel whose width values per k index are adjacent in src and fill whole vectors. */
    private static void packContiguousVectors(float[] src, int first, int along, int width, int kc,
                                              float[] dst, int panel) {
        for (int p = 0; p < kc; p++) {
            int from = first + p * along;
            int to = panel + p * width;
            for (int v = 0; v < width; v += LANES) {
                FloatVector.fromArray(SPECIES, src, from + v).intoArray(dst, to + v);
            }
        }
    }

    /** A panel whose width values per k index are adjacent in src (op(A) transposed: MR of them). */
    private static void packContiguous(float[] src, int first, int along, int width, int kc,
                                       float[] dst, int panel) {
        for (int p = 0; p < kc; p++) {
            System.arraycopy(src, first + p * along, dst, panel + p * width, width);
        }
    }

    /** A panel whose k indices are the contiguous direction in src: a transposing gather. */
    private static void packStrided(float[] src, int first, int across, int along, int width, int kc,
                                    float[] dst, int panel) {
        for (int x = 0; x < width; x++) {
            int from = first + x * across;
            int to = panel + x;
            for (int p = 0; p < kc; p++) {
                dst[to + p * width] = src[from + p * along];
            }
        }
    }

    private static void packPartial(float[] src, int first, int across, int along, int width, int filled, int kc,
                                    float[] dst, int panel) {
        for (int p = 0; p < kc; p++) {
            int to = panel + p * width;
            int from = first + p * along;
            for (int x = 0; x < filled; x++) {
                dst[to + x] = src[from + x * across];
            }
            java.util.Arrays.fill(dst, to + filled, to + width, 0f);
        }
    }
}
