package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile at the heart of the packed GEMM: an MR x NR block of C (6 rows by two
 * vectors) held in 12 vector accumulators while k steps through a panel of op(A) (packed, or
 * read in place) and a packed panel of op(B). The F64 twin is generated from this file at
 * build time.
 */
final class GemmMicroKernelF32 {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Rows of the tile: 6 broadcasts and 12 accumulators leave 3 of 16 vector registers free. */
    static final int MR = 6;
    /** Columns of the tile: two vectors. */
    static final int NR = 2 * LANES;

    private GemmMicroKernelF32() {
    }

    /**
     * tile[0..MR*NR) = A * Bp (row-major MR x NR). A is MR x kc with element (r, p) at
     * a[aAt + r*across + p*along]: a packed panel (across 1, along MR) or op(A) read in place.
     * Bp holds kc groups of NR values of op(B) from bAt (a packed panel). Writing to a small
     * scratch tile rather than into C keeps this method small enough for C2 to compile it with
     * every vector in a register; the bounds checks that the variable strides leave in the loop
     * also keep C2 from loading all six broadcasts up front, which would spill accumulators.
     */
    static void multiply(int kc, float[] a, int aAt, int across, int along, float[] bp, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ai = aAt + p * along;
            int bi = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ai + 1 * across]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2 * across]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3 * across]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ai + 4 * across]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ai + 5 * across]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /**
     * C[0..rows, 0..cols) at cAt (row stride ldc) = alpha * tile + beta * C; C is not read when
     * beta is 0. Whole tiles go through vectors, tiles cut by the edge of C element by element,
     * with the same operations, so a value does not depend on where the tile edges fall.
     */
    static void store(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cAt, int ldc) {
        if (rows == MR && cols == NR) {
            storeWhole(tile, alpha, beta, c, cAt, ldc);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int at = cAt + r * ldc;
            for (int j = 0; j < cols; j++) {
                float product = tile[r * NR + j];
                c[at + j] = beta == 0 ? product * alpha : Math.fma(product, alpha, c[at + j] * beta);
            }
        }
    }

    private static void storeWhole(float[] tile, float alpha, float beta, float[] c, int cAt, int ldc) {
        FloatVector al = FloatVector.broadcast(SPECIES, alpha);
        if (beta == 0) {
            for (int r = 0; r < MR; r++) {
                for (int v = 0; v < NR; v += LANES) {
                    FloatVector.fromArray(SPECIES, tile, r * NR + v).mul(al).intoArray(c, cAt + r * ldc + v);
                }
            }
        } else {
            FloatVector be = FloatVector.broadcast(SPECIES, beta);
            for (int r = 0; r < MR; r++) {
                for (int v = 0; v < NR; v += LANES) {
                    int at = cAt + r * ldc + v;
                    FloatVector.fromArray(SPECIES, tile, r * NR + v)
                            .fma(al, FloatVector.fromArray(SPECIES, c, at).mul(be)).intoArray(c, at);
                }
            }
        }
    }
}
