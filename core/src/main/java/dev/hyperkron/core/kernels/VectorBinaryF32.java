package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.VectorKernelsF32.LANES;
import static dev.hyperkron.core.kernels.VectorKernelsF32.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD loops for the functions of two arguments and for select.
 *
 * <p>Each op has its own small method so that the Vector API operator is a constant where it is
 * applied and the JIT compiles each loop on its own profile (see {@link VectorUnaryF32}). An
 * operand with increment 0 is broadcast once before the loop; whether an operand varies is
 * loop-invariant, so the JIT unswitches the loop on it. POW has no vector form here: the Vector
 * API computes it lane by lane on the JDKs we run, slower than the scalar loop.
 */
final class VectorBinaryF32 {
    private VectorBinaryF32() {
    }

    /**
     * Writes op(a, b) for the longest run of whole vectors and returns its length (0 for ops
     * without a vector form); the caller finishes the rest with scalar code. Increments are 0 or
     * 1, at least one of them 1.
     */
    static int apply(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                     float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(Math.max(n, 0));
        if (bound == 0) {
            return 0;
        }
        boolean aVaries = aInc != 0;
        boolean bVaries = bInc != 0;
        switch (op) {
            case ADD -> add(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case SUB -> sub(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case MUL -> mul(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case DIV -> div(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case MAX -> max(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case MIN -> min(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case EQ -> equal(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case NE -> notEqual(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case LT -> less(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case LE -> lessOrEqual(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case GT -> greater(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            case GE -> greaterOrEqual(a, aOff, aVaries, b, bOff, bVaries, out, outOff, bound);
            default -> {
                return 0;
            }
        }
        return bound;
    }

    /**
     * Writes cond != 0 ? a : b for the longest run of whole vectors and returns its length
     * (NaN counts as true, as in the scalar comparison).
     */
    static int select(float[] cond, int cOff, int cInc, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                      float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(Math.max(n, 0));
        if (bound == 0) {
            return 0;
        }
        boolean cVaries = cInc != 0;
        boolean aVaries = aInc != 0;
        boolean bVaries = bInc != 0;
        FloatVector fixedC = FloatVector.broadcast(SPECIES, cond[cOff]);
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> takeA = operand(cond, cOff + i, cVaries, fixedC).compare(VectorOperators.NE, zero);
            operand(b, bOff + i, bVaries, fixedB).blend(operand(a, aOff + i, aVaries, fixedA), takeA)
                    .intoArray(out, outOff + i);
        }
        return bound;
    }

    private static void add(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).add(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void sub(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).sub(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void mul(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).mul(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void div(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).div(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void max(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).max(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void min(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                            float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        for (int i = 0; i < bound; i += LANES) {
            operand(a, aOff + i, aVaries, fixedA).min(operand(b, bOff + i, bVaries, fixedB)).intoArray(out, outOff + i);
        }
    }

    private static void equal(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                              float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.EQ, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    private static void notEqual(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                                 float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.NE, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    private static void less(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                             float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.LT, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    private static void lessOrEqual(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                                    float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.LE, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    private static void greater(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                                float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.GT, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    private static void greaterOrEqual(float[] a, int aOff, boolean aVaries, float[] b, int bOff, boolean bVaries,
                                       float[] out, int outOff, int bound) {
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                    .compare(VectorOperators.GE, operand(b, bOff + i, bVaries, fixedB));
            zero.blend(one, m).intoArray(out, outOff + i);
        }
    }

    /** The vector at off, or the broadcast value of an operand that does not vary. */
    private static FloatVector operand(float[] x, int off, boolean varies, FloatVector fixed) {
        return varies ? FloatVector.fromArray(SPECIES, x, off) : fixed;
    }
}
