package dev.hyperkron.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 16 x 16 blocks in registers, for packing an op(B) that is stored transposed (a
 * layer's x W^T, with W stored [out, in]): 16 row vectors in, four rounds of two-vector
 * rearranges that swap ever smaller sub-blocks across the diagonal, 16 row vectors out. JDK 25
 * compiles each rearrange to a permute, so a 32 x 256 panel packs in half the time of copying
 * element by element (0.15 against 0.30 ns per element on an AVX-512 EPYC); JDK 17 does not
 * intrinsify them (15-50x slower than the copies), and the block needs 16 lanes (floats with
 * AVX-512), so elsewhere the packing copies element by element. The F64 twin is generated from
 * this file at build time and is never enabled: no double vector has 16 lanes.
 */
final class GemmTransposeF32 {
    private static final VectorSpecies<Float> SPECIES = GemmMicroKernelF32.SPECIES;
    /** Rows and columns of a block. */
    static final int BLOCK = 16;
    /** Whether packing transposes in registers on this JVM and machine. */
    static final boolean ENABLED = Runtime.version().feature() >= 25 && GemmMicroKernelF32.LANES == BLOCK;

    private GemmTransposeF32() {
    }

    /** dst[to + i*ldd + j] = src[from + j*lds + i] for i, j in [0, 16). Only when {@link #ENABLED}. */
    static void block(float[] src, int from, int lds, float[] dst, int to, int ldd) {
        FloatVector r0 = FloatVector.fromArray(SPECIES, src, from + 0 * lds);
        FloatVector r1 = FloatVector.fromArray(SPECIES, src, from + 1 * lds);
        FloatVector r2 = FloatVector.fromArray(SPECIES, src, from + 2 * lds);
        FloatVector r3 = FloatVector.fromArray(SPECIES, src, from + 3 * lds);
        FloatVector r4 = FloatVector.fromArray(SPECIES, src, from + 4 * lds);
        FloatVector r5 = FloatVector.fromArray(SPECIES, src, from + 5 * lds);
        FloatVector r6 = FloatVector.fromArray(SPECIES, src, from + 6 * lds);
        FloatVector r7 = FloatVector.fromArray(SPECIES, src, from + 7 * lds);
        FloatVector r8 = FloatVector.fromArray(SPECIES, src, from + 8 * lds);
        FloatVector r9 = FloatVector.fromArray(SPECIES, src, from + 9 * lds);
        FloatVector r10 = FloatVector.fromArray(SPECIES, src, from + 10 * lds);
        FloatVector r11 = FloatVector.fromArray(SPECIES, src, from + 11 * lds);
        FloatVector r12 = FloatVector.fromArray(SPECIES, src, from + 12 * lds);
        FloatVector r13 = FloatVector.fromArray(SPECIES, src, from + 13 * lds);
        FloatVector r14 = FloatVector.fromArray(SPECIES, src, from + 14 * lds);
        FloatVector r15 = FloatVector.fromArray(SPECIES, src, from + 15 * lds);
        FloatVector t0 = r0.rearrange(Shuffles.LOW_8, r8);
        FloatVector t8 = r8.rearrange(Shuffles.HIGH_8, r0);
        FloatVector t1 = r1.rearrange(Shuffles.LOW_8, r9);
        FloatVector t9 = r9.rearrange(Shuffles.HIGH_8, r1);
        FloatVector t2 = r2.rearrange(Shuffles.LOW_8, r10);
        FloatVector t10 = r10.rearrange(Shuffles.HIGH_8, r2);
        FloatVector t3 = r3.rearrange(Shuffles.LOW_8, r11);
        FloatVector t11 = r11.rearrange(Shuffles.HIGH_8, r3);
        FloatVector t4 = r4.rearrange(Shuffles.LOW_8, r12);
        FloatVector t12 = r12.rearrange(Shuffles.HIGH_8, r4);
        FloatVector t5 = r5.rearrange(Shuffles.LOW_8, r13);
        FloatVector t13 = r13.rearrange(Shuffles.HIGH_8, r5);
        FloatVector t6 = r6.rearrange(Shuffles.LOW_8, r14);
        FloatVector t14 = r14.rearrange(Shuffles.HIGH_8, r6);
        FloatVector t7 = r7.rearrange(Shuffles.LOW_8, r15);
        FloatVector t15 = r15.rearrange(Shuffles.HIGH_8, r7);
        r0 = t0.rearrange(Shuffles.LOW_4, t4);
        r4 = t4.rearrange(Shuffles.HIGH_4, t0);
        r1 = t1.rearrange(Shuffles.LOW_4, t5);
        r5 = t5.rearrange(Shuffles.HIGH_4, t1);
        r2 = t2.rearrange(Shuffles.LOW_4, t6);
        r6 = t6.rearrange(Shuffles.HIGH_4, t2);
        r3 = t3.rearrange(Shuffles.LOW_4, t7);
        r7 = t7.rearrange(Shuffles.HIGH_4, t3);
        r8 = t8.rearrange(Shuffles.LOW_4, t12);
        r12 = t12.rearrange(Shuffles.HIGH_4, t8);
        r9 = t9.rearrange(Shuffles.LOW_4, t13);
        r13 = t13.rearrange(Shuffles.HIGH_4, t9);
        r10 = t10.rearrange(Shuffles.LOW_4, t14);
        r14 = t14.rearrange(Shuffles.HIGH_4, t10);
        r11 = t11.rearrange(Shuffles.LOW_4, t15);
        r15 = t15.rearrange(Shuffles.HIGH_4, t11);
        t0 = r0.rearrange(Shuffles.LOW_2, r2);
        t2 = r2.rearrange(Shuffles.HIGH_2, r0);
        t1 = r1.rearrange(Shuffles.LOW_2, r3);
        t3 = r3.rearrange(Shuffles.HIGH_2, r1);
        t4 = r4.rearrange(Shuffles.LOW_2, r6);
        t6 = r6.rearrange(Shuffles.HIGH_2, r4);
        t5 = r5.rearrange(Shuffles.LOW_2, r7);
        t7 = r7.rearrange(Shuffles.HIGH_2, r5);
        t8 = r8.rearrange(Shuffles.LOW_2, r10);
        t10 = r10.rearrange(Shuffles.HIGH_2, r8);
        t9 = r9.rearrange(Shuffles.LOW_2, r11);
        t11 = r11.rearrange(Shuffles.HIGH_2, r9);
        t12 = r12.rearrange(Shuffles.LOW_2, r14);
        t14 = r14.rearrange(Shuffles.HIGH_2, r12);
        t13 = r13.rearrange(Shuffles.LOW_2, r15);
        t15 = r15.rearrange(Shuffles.HIGH_2, r13);
        r0 = t0.rearrange(Shuffles.LOW_1, t1);
        r1 = t1.rearrange(Shuffles.HIGH_1, t0);
        r2 = t2.rearrange(Shuffles.LOW_1, t3);
        r3 = t3.rearrange(Shuffles.HIGH_1, t2);
        r4 = t4.rearrange(Shuffles.LOW_1, t5);
        r5 = t5.rearrange(Shuffles.HIGH_1, t4);
        r6 = t6.rearrange(Shuffles.LOW_1, t7);
        r7 = t7.rearrange(Shuffles.HIGH_1, t6);
        r8 = t8.rearrange(Shuffles.LOW_1, t9);
        r9 = t9.rearrange(Shuffles.HIGH_1, t8);
        r10 = t10.rearrange(Shuffles.LOW_1, t11);
        r11 = t11.rearrange(Shuffles.HIGH_1, t10);
        r12 = t12.rearrange(Shuffles.LOW_1, t13);
        r13 = t13.rearrange(Shuffles.HIGH_1, t12);
        r14 = t14.rearrange(Shuffles.LOW_1, t15);
        r15 = t15.rearrange(Shuffles.HIGH_1, t14);
        r0.intoArray(dst, to + 0 * ldd);
        r1.intoArray(dst, to + 1 * ldd);
        r2.intoArray(dst, to + 2 * ldd);
        r3.intoArray(dst, to + 3 * ldd);
        r4.intoArray(dst, to + 4 * ldd);
        r5.intoArray(dst, to + 5 * ldd);
        r6.intoArray(dst, to + 6 * ldd);
        r7.intoArray(dst, to + 7 * ldd);
        r8.intoArray(dst, to + 8 * ldd);
        r9.intoArray(dst, to + 9 * ldd);
        r10.intoArray(dst, to + 10 * ldd);
        r11.intoArray(dst, to + 11 * ldd);
        r12.intoArray(dst, to + 12 * ldd);
        r13.intoArray(dst, to + 13 * ldd);
        r14.intoArray(dst, to + 14 * ldd);
        r15.intoArray(dst, to + 15 * ldd);
    }

    /**
     * The rearranges of one round with sub-blocks of b lanes: lane i of LOW_b (i with bit b
     * clear) keeps row r's lane i and takes row r+b's lane i-b where bit b is set; HIGH_b is the
     * mirror image. A negative index selects from the second vector (index + 16). Built on first
     * use, so that a JVM without 16-lane vectors never builds them.
     */
    private static final class Shuffles {
        static final VectorShuffle<Float> LOW_8 = low(8);
        static final VectorShuffle<Float> HIGH_8 = high(8);
        static final VectorShuffle<Float> LOW_4 = low(4);
        static final VectorShuffle<Float> HIGH_4 = high(4);
        static final VectorShuffle<Float> LOW_2 = low(2);
        static final VectorShuffle<Float> HIGH_2 = high(2);
        static final VectorShuffle<Float> LOW_1 = low(1);
        static final VectorShuffle<Float> HIGH_1 = high(1);

        private static VectorShuffle<Float> low(int b) {
            int[] lanes = new int[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                lanes[i] = (i & b) == 0 ? i : i - b - BLOCK;
            }
            return VectorShuffle.fromArray(SPECIES, lanes, 0);
        }

        private static VectorShuffle<Float> high(int b) {
            int[] lanes = new int[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                lanes[i] = (i & b) == 0 ? i + b - BLOCK : i;
            }
            return VectorShuffle.fromArray(SPECIES, lanes, 0);
        }
    }
}
