package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a block of op(A) or op(B) into the panel layout the micro-kernel streams through, so
 * that the kernel sees one layout whatever the transposes, strides and offsets of the caller.
 * A block is described by two strides: {@code across} between neighbouring rows of op(A)
 * (columns of op(B)) and {@code along} between neighbouring k indices. Panels are MR wide for
 * A and NR wide for B: panel q holds, for each k index p, the values x = q*width ..
 * q*width+width-1 contiguously; a last partial panel is padded with zeros. The loops use the
 * tile sizes as constants so that C2 can drop their bounds checks.
 * The F64 twin is generated from this file at build time.
 */
final class GemmPackingF32 {
    private static final VectorSpecies<Float> SPECIES = GemmMicroKernelF32.SPECIES;
    private static final int LANES = GemmMicroKernelF32.LANES;
    private static final int MR = GemmMicroKernelF32.MR;
    private static final int NR = GemmMicroKernelF32.NR;
    /**
     * Depth of the chunks in which panels are copied column by column (a transposed op(B), the
     * edges): 64 k indices of a 32-float panel are 8 KiB of L1. Copying whole panels instead ran
     * 128 x 256 x 784 (x W^T) 10 % slower at kc = 1024, its panel of 100 KiB leaving L1 between
     * columns; chunks of 32 and 128 were no faster.
     */
    private static final int COPY_CHUNK = 64;

    private GemmPackingF32() {
    }

    /**
     * Packs the mc x kc block of op(A) whose element (i, p) is src[origin + i*across + p*along]
     * into panels of MR rows.
     */
    static void packA(float[] src, int origin, int across, int along, int mc, int kc, float[] dst) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int first = origin + i0 * across;
            int panel = i0 * kc;
            if (mc - i0 < MR) {
                packPartial(src, first, across, along, MR, mc - i0, kc, dst, panel);
            } else if (along == 1) {
                gatherRowsOfA(src, first, across, kc, dst, panel);
            } else {
                for (int p = 0; p < kc; p++) {
                    int from = first + p * along;
                    int to = panel + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[to + r] = src[from + r * across];
                    }
                }
            }
        }
    }

    /**
     * Packs the kc x nc block of op(B) whose element (p, j) is src[origin + j*across + p*along]
     * into panels of NR columns from dst[dstAt].
     */
    static void packB(float[] src, int origin, int across, int along, int nc, int kc, float[] dst, int dstAt) {
        int whole = nc - nc % NR;
        if (across == 1 && whole > 0) {
            // Row by row of op(B), reading each row once from start to end: with a long row
            // stride this runs twice as fast as panel by panel (a weight gradient's 128 x 256).
            for (int p = 0; p < kc; p++) {
                int from = origin + p * along;
                int to = dstAt + p * NR;
                for (int j0 = 0; j0 < whole; j0 += NR) {
                    for (int v = 0; v < NR; v += LANES) {
                        FloatVector.fromArray(SPECIES, src, from + j0 + v).intoArray(dst, to + j0 * kc + v);
                    }
                }
            }
        } else {
            // Columns of op(B) that run along k: a transpose, in registers where that is faster.
            int inRegisters = GemmTransposeF32.ENABLED && along == 1 ? kc - kc % GemmTransposeF32.BLOCK : 0;
            for (int j0 = 0; j0 < whole; j0 += NR) {
                int first = origin + j0 * across;
                int panel = dstAt + j0 * kc;
                for (int p = 0; p < inRegisters; p += GemmTransposeF32.BLOCK) {
                    for (int h = 0; h < NR; h += GemmTransposeF32.BLOCK) {
                        GemmTransposeF32.block(src, first + h * across + p, across, dst, panel + p * NR + h, NR);
                    }
                }
                copyColumns(src, first, across, along, NR, NR, inRegisters, kc, dst, panel);
            }
        }
        if (whole < nc) {
            packPartial(src, origin + whole * across, across, along, NR, nc - whole, kc, dst, dstAt + whole * kc);
        }
    }

    /** dst[j*rows + p] = src[origin + p*ld + j]: the rows x cols matrix at origin, transposed. */
    static void transpose(float[] src, int origin, int ld, int rows, int cols, float[] dst) {
        for (int p = 0; p < rows; p++) {
            int from = origin + p * ld;
            for (int j = 0; j < cols; j++) {
                dst[j * rows + p] = src[from + j];
            }
        }
    }

    /** One panel of op(A) from MR rows that are contiguous along k: the common untransposed case. */
    private static void gatherRowsOfA(float[] src, int first, int across, int kc, float[] dst, int panel) {
        int r0 = first;
        int r1 = first + across;
        int r2 = first + 2 * across;
        int r3 = first + 3 * across;
        int r4 = first + 4 * across;
        int r5 = first + 5 * across;
        for (int p = 0; p < kc; p++) {
            int to = panel + p * MR;
            dst[to] = src[r0 + p];
            dst[to + 1] = src[r1 + p];
            dst[to + 2] = src[r2 + p];
            dst[to + 3] = src[r3 + p];
            dst[to + 4] = src[r4 + p];
            dst[to + 5] = src[r5 + p];
        }
    }

    /** A panel cut by the edge of the block: the missing rows or columns are zeros. */
    private static void packPartial(float[] src, int first, int across, int along, int width, int filled, int kc,
                                    float[] dst, int panel) {
        java.util.Arrays.fill(dst, panel, panel + width * kc, 0f);
        copyColumns(src, first, across, along, width, filled, 0, kc, dst, panel);
    }

    /**
     * dst[panel + p*width + x] = src[first + x*across + p*along] for x in [0, filled) and p in
     * [from, kc): column by column within depth chunks, so that the part of the panel being
     * written stays in L1.
     */
    private static void copyColumns(float[] src, int first, int across, int along, int width, int filled, int from,
                                    int kc, float[] dst, int panel) {
        for (int p0 = from; p0 < kc; p0 += COPY_CHUNK) {
            int p1 = Math.min(kc, p0 + COPY_CHUNK);
            for (int x = 0; x < filled; x++) {
                int at = first + x * across;
                int to = panel + x;
                for (int p = p0; p < p1; p++) {
                    dst[to + p * width] = src[at + p * along];
                }
            }
        }
    }
}
