package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.VectorKernelsF32.LANES;
import static dev.hyperkron.core.kernels.VectorKernelsF32.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD loops for the functions of one argument that have a vector form. Each op has its own
 * loop so that the Vector API operator is a constant where it is applied, which is what lets
 * the JIT compile it to vector instructions instead of a per-lane fallback.
 */
final class VectorUnaryF32 {
    private VectorUnaryF32() {
    }

    /**
     * Writes op(x) for the longest run of whole vectors and returns its length; 0 for ops
     * without a vector form. The caller finishes the remaining elements with scalar code.
     */
    static int apply(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = SPECIES.loopBound(Math.max(n, 0));
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        switch (op) {
            case NEG -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).neg().intoArray(out, outOff + i);
                }
            }
            case ABS -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).abs().intoArray(out, outOff + i);
                }
            }
            case SQUARE -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    v.mul(v).intoArray(out, outOff + i);
                }
            }
            case SQRT -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).sqrt().intoArray(out, outOff + i);
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < bound; i += LANES) {
                    one.div(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(out, outOff + i);
                }
            }
            case EXP -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(out, outOff + i);
                }
            }
            case LOG -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).lanewise(VectorOperators.LOG).intoArray(out, outOff + i);
                }
            }
            case TANH -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(out, outOff + i);
                }
            }
            case SIGMOID -> {
                // e^-|x| never overflows; 1/(1+e) for x >= 0 and e/(1+e) otherwise, as in the scalar form.
                // NaN fails x >= 0 and propagates through e.
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
                    VectorMask<Float> nonNegative = v.compare(VectorOperators.GE, zero);
                    e.blend(one, nonNegative).div(one.add(e)).intoArray(out, outOff + i);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    FloatVector tail = v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
                    v.max(zero).add(tail).intoArray(out, outOff + i);
                }
            }
            case RELU -> {
                // A blend rather than max(x, 0): NaN must map to 0, as x > 0 is false for it.
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(out, outOff + i);
                }
            }
            case STEP -> {
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    zero.blend(one, v.compare(VectorOperators.GT, zero)).intoArray(out, outOff + i);
                }
            }
            case SIGN -> {
                // Lanes that are neither > 0 nor < 0 (signed zeros, NaN) keep their value, like Math.signum.
                FloatVector minusOne = one.neg();
                for (int i = 0; i < bound; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                    v.blend(one, v.compare(VectorOperators.GT, zero))
                            .blend(minusOne, v.compare(VectorOperators.LT, zero))
                            .intoArray(out, outOff + i);
                }
            }
            default -> {
                return 0;
            }
        }
        return bound;
    }
}
