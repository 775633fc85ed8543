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
    /** Rows of the tile: 12 accumulators, 2 vectors of op(B) and a broadcast use 15 of AVX2's 16 registers. */
    static final int MR = 6;
    /** Columns of the tile: two vectors. */
    static final int NR = 2 * LANES;
    /**
     * Whether this JIT compiles the kernels whose bounds checks on A it can merge or hoist
     * ({@link #multiplyAdjacent}, {@link #multiplyRows}) without spilling: measured true on JDK
     * 17 and false on JDK 25, whose C2 schedules three broadcasts ahead; the strided kernel is
     * the safe choice for the JDKs in between and after.
     */
    static final boolean CHECK_FREE_KERNELS_COMPILE_WELL = Runtime.version().feature() <= 17;
    /**
     * Whether rows of op(A) that run along k (untransposed) multiply in place as fast as a packed
     * panel: through {@link #multiplyStrided} after JDK 17 they do, with AVX2 (1.06x the packed
     * panel at 512^3 on JDK 25) as with AVX-512; through {@link #multiplyRows} on JDK 17 only
     * with AVX-512's 32 vector registers, while with AVX2's 16 it ran at half the speed of a
     * packed panel (512^3, -XX:UseAVX=2), so such rows are packed there.
     */
    static final boolean ROWS_IN_PLACE_AT_FULL_SPEED =
            !CHECK_FREE_KERNELS_COMPILE_WELL || SPECIES.vectorBitSize() >= 512;

    private GemmMicroKernelF32() {
    }

    /**
     * out = alpha * A * Bp for the MR x NR block of out at outAt (row stride ldo), where A is
     * MR x kc with element (r, p) at a[aAt + r*across + p*along] (a packed panel: across 1,
     * along MR; or op(A) read in place) and Bp holds kc groups of NR values of op(B) from bAt (a
     * packed panel). A whole tile of C that beta = 0 overwrites is written in place, which saves
     * a round trip through a scratch tile that costs as much as the multiply-adds when k is
     * small; other tiles go to a scratch tile with alpha 1 (exact) and on through {@link #store}.
     * Only this one epilogue fits: one that also adds beta * C makes C2 stop inlining the vector
     * operations (NodeCountInliningCutoff), which boxes them and runs a hundred times slower.
     * Both kernels do the same operations in the same order, so the choice between them never
     * changes a result.
     */
    static void multiply(int kc, float[] a, int aAt, int across, int along, float[] bp, int bAt,
                         float[] out, int outAt, int ldo, float alpha) {
        if (across == 1 && CHECK_FREE_KERNELS_COMPILE_WELL) {
            multiplyAdjacent(kc, a, aAt, along, bp, bAt, out, outAt, ldo, alpha);
        } else if (along == 1 && CHECK_FREE_KERNELS_COMPILE_WELL) {
            multiplyRows(kc, a, aAt, across, bp, bAt, out, outAt, ldo, alpha);
        } else {
            multiplyStrided(kc, a, aAt, across, along, bp, bAt, out, outAt, ldo, alpha);
        }
    }

    /**
     * The product for A whose MR values at each k index are adjacent (across = 1). With constant
     * offsets, C2 merges the bounds checks on A into two per step: about a quarter faster than
     * {@link #multiplyStrided} on JDK 17.
     */
    private static void multiplyAdjacent(int kc, float[] a, int aAt, int along, float[] bp, int bAt,
                                         float[] out, int outAt, int ldo, float alpha) {
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
            x = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        FloatVector al = FloatVector.broadcast(SPECIES, alpha);
        c00.mul(al).intoArray(out, outAt);
        c01.mul(al).intoArray(out, outAt + LANES);
        c10.mul(al).intoArray(out, outAt + ldo);
        c11.mul(al).intoArray(out, outAt + ldo + LANES);
        c20.mul(al).intoArray(out, outAt + 2 * ldo);
        c21.mul(al).intoArray(out, outAt + 2 * ldo + LANES);
        c30.mul(al).intoArray(out, outAt + 3 * ldo);
        c31.mul(al).intoArray(out, outAt + 3 * ldo + LANES);
        c40.mul(al).intoArray(out, outAt + 4 * ldo);
        c41.mul(al).intoArray(out, outAt + 4 * ldo + LANES);
        c50.mul(al).intoArray(out, outAt + 5 * ldo);
        c51.mul(al).intoArray(out, outAt + 5 * ldo + LANES);
    }

    /**
     * The product for rows of A that run along k (along = 1: op(A) untransposed, read in place).
     * Each row's index is a fixed start plus the loop index, so C2 hoists every bounds check on
     * A out of the loop: on JDK 17 as fast as {@link #multiplyAdjacent} on a packed copy, which
     * saves packing op(A).
     */
    private static void multiplyRows(int kc, float[] a, int aAt, int across, float[] bp, int bAt,
                                     float[] out, int outAt, int ldo, float alpha) {
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
        int r0 = aAt;
        int r1 = aAt + across;
        int r2 = aAt + 2 * across;
        int r3 = aAt + 3 * across;
        int r4 = aAt + 4 * across;
        int r5 = aAt + 5 * across;
        for (int p = 0; p < kc; p++) {
            int bi = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[r0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[r1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[r2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[r3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[r4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[r5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        FloatVector al = FloatVector.broadcast(SPECIES, alpha);
        c00.mul(al).intoArray(out, outAt);
        c01.mul(al).intoArray(out, outAt + LANES);
        c10.mul(al).intoArray(out, outAt + ldo);
        c11.mul(al).intoArray(out, outAt + ldo + LANES);
        c20.mul(al).intoArray(out, outAt + 2 * ldo);
        c21.mul(al).intoArray(out, outAt + 2 * ldo + LANES);
        c30.mul(al).intoArray(out, outAt + 3 * ldo);
        c31.mul(al).intoArray(out, outAt + 3 * ldo + LANES);
        c40.mul(al).intoArray(out, outAt + 4 * ldo);
        c41.mul(al).intoArray(out, outAt + 4 * ldo + LANES);
        c50.mul(al).intoArray(out, outAt + 5 * ldo);
        c51.mul(al).intoArray(out, outAt + 5 * ldo + LANES);
    }

    /**
     * The product for any strides. The runtime strides leave a bounds check before each of the
     * six broadcasts, and those checks are what keeps C2 from loading several broadcasts ahead
     * of their multiply-adds and spilling accumulators (which halves the speed): without them,
     * JDK 25 does so for {@link #multiplyAdjacent} in a GEMM (in place of {@link #multiplyRows}
     * it runs at the same speed).
     */
    private static void multiplyStrided(int kc, float[] a, int aAt, int across, int along, float[] bp, int bAt,
                                        float[] out, int outAt, int ldo, float alpha) {
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
        FloatVector al = FloatVector.broadcast(SPECIES, alpha);
        c00.mul(al).intoArray(out, outAt);
        c01.mul(al).intoArray(out, outAt + LANES);
        c10.mul(al).intoArray(out, outAt + ldo);
        c11.mul(al).intoArray(out, outAt + ldo + LANES);
        c20.mul(al).intoArray(out, outAt + 2 * ldo);
        c21.mul(al).intoArray(out, outAt + 2 * ldo + LANES);
        c30.mul(al).intoArray(out, outAt + 3 * ldo);
        c31.mul(al).intoArray(out, outAt + 3 * ldo + LANES);
        c40.mul(al).intoArray(out, outAt + 4 * ldo);
        c41.mul(al).intoArray(out, outAt + 4 * ldo + LANES);
        c50.mul(al).intoArray(out, outAt + 5 * ldo);
        c51.mul(al).intoArray(out, outAt + 5 * ldo + LANES);
    }

    /**
     * C[0..rows, 0..cols) at cAt (row stride ldc) = alpha * tile + beta * C; C is not read when
     * beta is 0. Whole vectors of a row go through the Vector API, the rest of a row cut by the
     * edge of C element by element with the same operations, so a value does not depend on
     * where the tile edges fall.
     */
    static void store(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cAt, int ldc) {
        FloatVector al = FloatVector.broadcast(SPECIES, alpha);
        FloatVector be = FloatVector.broadcast(SPECIES, beta);
        if (rows == MR && cols == NR) {
            storeWhole(tile, al, be, beta == 0, c, cAt, ldc);
            return;
        }
        int vectorCols = cols - cols % LANES;
        for (int r = 0; r < rows; r++) {
            int at = cAt + r * ldc;
            int from = r * NR;
            for (int j = 0; j < vectorCols; j += LANES) {
                FloatVector product = FloatVector.fromArray(SPECIES, tile, from + j);
                if (beta == 0) {
                    product.mul(al).intoArray(c, at + j);
                } else {
                    product.fma(al, FloatVector.fromArray(SPECIES, c, at + j).mul(be)).intoArray(c, at + j);
                }
            }
            for (int j = vectorCols; j < cols; j++) {
                float product = tile[from + j];
                c[at + j] = beta == 0 ? product * alpha : Math.fma(product, alpha, c[at + j] * beta);
            }
        }
    }

    /**
     * C^T[0..rows, 0..cols) = alpha * tile + beta * C^T for a product computed transposed: tile
     * element (r, x) goes to c[cAt + x*ldc + r]. Element by element with the operations of
     * {@link #store}'s scalar tail, since the tile's rows run down columns of C.
     */
    static void storeTransposed(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cAt, int ldc) {
        for (int x = 0; x < cols; x++) {
            int at = cAt + x * ldc;
            for (int r = 0; r < rows; r++) {
                float product = tile[r * NR + x];
                c[at + r] = beta == 0 ? product * alpha : Math.fma(product, alpha, c[at + r] * beta);
            }
        }
    }

    /** A whole tile: loops with constant bounds, which C2 unrolls completely. */
    private static void storeWhole(float[] tile, FloatVector alpha, FloatVector beta, boolean overwrite,
                                   float[] c, int cAt, int ldc) {
        if (overwrite) {
            for (int r = 0; r < MR; r++) {
                for (int v = 0; v < NR; v += LANES) {
                    FloatVector.fromArray(SPECIES, tile, r * NR + v).mul(alpha).intoArray(c, cAt + r * ldc + v);
                }
            }
        } else {
            for (int r = 0; r < MR; r++) {
                for (int v = 0; v < NR; v += LANES) {
                    int at = cAt + r * ldc + v;
                    FloatVector.fromArray(SPECIES, tile, r * NR + v)
                            .fma(alpha, FloatVector.fromArray(SPECIES, c, at).mul(beta)).intoArray(c, at);
                }
            }
        }
    }
}
