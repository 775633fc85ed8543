package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.VectorKernelsF32.LANES;
import static dev.hyperkron.core.kernels.VectorKernelsF32.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD loops for the functions of two arguments and for select. Each op has its own loop, so the
 * Vector API operator is a constant where it is applied (the condition for the JIT to emit vector
 * instructions). An operand with increment 0 is broadcast once before the loop; whether an
 * operand varies is loop-invariant, so the JIT unswitches the loop on it.
 */
final class VectorBinaryF32 {
    private VectorBinaryF32() {
    }

    /**
     * Writes op(a, b) for the longest run of whole vectors and returns its length; the caller
     * finishes the rest with scalar code. Increments are 0 or 1, at least one of them 1.
     */
    static int apply(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                     float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(Math.max(n, 0));
        if (bound == 0) {
            return 0;
        }
        boolean aVaries = aInc != 0;
        boolean bVaries = bInc != 0;
        FloatVector fixedA = FloatVector.broadcast(SPECIES, a[aOff]);
        FloatVector fixedB = FloatVector.broadcast(SPECIES, b[bOff]);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        switch (op) {
            case ADD -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).add(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case SUB -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).sub(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case MUL -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).mul(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case DIV -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).div(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case POW -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA)
                            .lanewise(VectorOperators.POW, operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case MAX -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).max(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case MIN -> {
                for (int i = 0; i < bound; i += LANES) {
                    operand(a, aOff + i, aVaries, fixedA).min(operand(b, bOff + i, bVaries, fixedB))
                            .intoArray(out, outOff + i);
                }
            }
            case EQ -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.EQ, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
            }
            case NE -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.NE, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
            }
            case LT -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.LT, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
            }
            case LE -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.LE, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
            }
            case GT -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.GT, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
            }
            case GE -> {
                for (int i = 0; i < bound; i += LANES) {
                    VectorMask<Float> m = operand(a, aOff + i, aVaries, fixedA)
                            .compare(VectorOperators.GE, operand(b, bOff + i, bVaries, fixedB));
                    zero.blend(one, m).intoArray(out, outOff + i);
                }
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

    /** The vector at off, or the broadcast value of an operand that does not vary. */
    private static FloatVector operand(float[] x, int off, boolean varies, FloatVector fixed) {
        return varies ? FloatVector.fromArray(SPECIES, x, off) : fixed;
    }
}
