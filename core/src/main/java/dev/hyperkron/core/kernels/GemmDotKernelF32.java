package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a C narrower than one vector with an untransposed op(A) (a classifier layer's
 * X W, 128 x 10 x 256): each element of C is a dot product of a row of op(A) and a column of
 * op(B), both contiguous along k, summed in vectors along k. The packed GEMM's tile would leave
 * most of its two vectors of columns empty, and a tile one vector wide is bound by its
 * broadcasts (one per multiply-add). A tile of ROWS x COLS dot products loads ROWS + COLS
 * vectors per ROWS * COLS multiply-adds. Each element's operations do not depend on where the
 * tile or the thread's share falls. The F64 twin is generated from this file at build time.
 */
// Its (float) casts are needed here but redundant in the generated F64 twin, where they read (double).
@SuppressWarnings("cast")
final class GemmDotKernelF32 {
    private static final VectorSpecies<Float> SPECIES = GemmMicroKernelF32.SPECIES;
    private static final int LANES = GemmMicroKernelF32.LANES;
    /** Rows of op(A) per tile; with COLS, 12 accumulators and 7 loads per step. */
    static final int ROWS = 4;
    static final int COLS = 3;
    /**
     * Whether this JIT sums the lanes of a vector fast enough for this path: measured on JDK 25
     * (mlp-fc2 1.4x the packed GEMM) but not on JDK 17, whose ordered lane sums (2.7 ns each)
     * make it slower than the packed GEMM; the packed GEMM is the safe choice for the JDKs in between.
     */
    static final boolean FAST_LANE_SUMS = Runtime.version().feature() >= 25;

    private GemmDotKernelF32() {
    }

    /**
     * Whether this path is the faster one: op(A) rows contiguous along k, C at most one vector
     * wide, k long enough for the vectors along it to outweigh the sums across their lanes,
     * and a JIT that sums lanes fast.
     */
    static boolean pays(boolean transA, int n, int k) {
        return FAST_LANE_SUMS && !transA && n <= LANES && k >= 4 * LANES;
    }

    /**
     * Rows [i0, i1) of C = alpha * op(A) * op(B) + beta * C (C not read when beta is 0), where
     * row i of op(A) is a[aOff + i*lda ..] and column j of op(B) is bt[btOff + j*ldbt ..], both
     * k long.
     */
    static void multiply(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int lda,
                         float[] bt, int btOff, int ldbt, float beta, float[] c, int cOff, int ldc) {
        float[] sums = new float[ROWS * COLS];
        for (int i = i0; i < i1; i += ROWS) {
            int rows = Math.min(ROWS, i1 - i);
            for (int j = 0; j < n; j += COLS) {
                int cols = Math.min(COLS, n - j);
                // A tile cut by an edge repeats its last row or column, whose sums it then drops.
                dots(k, a, aOff + i * lda, lda * Math.min(1, rows - 1), lda * Math.min(2, rows - 1),
                        lda * Math.min(3, rows - 1), bt, btOff + j * ldbt, ldbt * Math.min(1, cols - 1),
                        ldbt * Math.min(2, cols - 1), sums);
                for (int r = 0; r < rows; r++) {
                    int at = cOff + (i + r) * ldc + j;
                    for (int q = 0; q < cols; q++) {
                        float sum = sums[r * COLS + q];
                        c[at + q] = beta == 0 ? sum * alpha : Math.fma(sum, alpha, c[at + q] * beta);
                    }
                }
            }
        }
    }

    /**
     * sums[r*COLS + q] = the dot product of the k values from a[a0 + aRow_r] and from
     * bt[b0 + bCol_q] (aRow_0 = bCol_0 = 0): in vectors of LANES along k, summed across the
     * lanes, then the last k % LANES terms one by one.
     */
    private static void dots(int k, float[] a, int a0, int a1, int a2, int a3, float[] bt, int b0, int b1, int b2,
                             float[] sums) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s02 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s12 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        FloatVector s22 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES);
        FloatVector s31 = FloatVector.zero(SPECIES);
        FloatVector s32 = FloatVector.zero(SPECIES);
        int vectorK = k - k % LANES;
        for (int p = 0; p < vectorK; p += LANES) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, bt, b0 + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, bt, b0 + b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, bt, b0 + b2 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(SPECIES, a, a0 + a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(SPECIES, a, a0 + a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(SPECIES, a, a0 + a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        sums[0] = s00.reduceLanes(VectorOperators.ADD);
        sums[1] = s01.reduceLanes(VectorOperators.ADD);
        sums[2] = s02.reduceLanes(VectorOperators.ADD);
        sums[3] = s10.reduceLanes(VectorOperators.ADD);
        sums[4] = s11.reduceLanes(VectorOperators.ADD);
        sums[5] = s12.reduceLanes(VectorOperators.ADD);
        sums[6] = s20.reduceLanes(VectorOperators.ADD);
        sums[7] = s21.reduceLanes(VectorOperators.ADD);
        sums[8] = s22.reduceLanes(VectorOperators.ADD);
        sums[9] = s30.reduceLanes(VectorOperators.ADD);
        sums[10] = s31.reduceLanes(VectorOperators.ADD);
        sums[11] = s32.reduceLanes(VectorOperators.ADD);
        if (vectorK < k) {
            tail(vectorK, k, a, new int[] {a0, a0 + a1, a0 + a2, a0 + a3}, bt, new int[] {b0, b0 + b1, b0 + b2}, sums);
        }
    }

    /** Adds the terms p in [from, k) to the sums, one by one. */
    private static void tail(int from, int k, float[] a, int[] rows, float[] bt, int[] cols, float[] sums) {
        for (int p = from; p < k; p++) {
            for (int r = 0; r < ROWS; r++) {
                for (int q = 0; q < COLS; q++) {
                    sums[r * COLS + q] = Math.fma(a[rows[r] + p], bt[cols[q] + p], sums[r * COLS + q]);
                }
            }
        }
    }
}
