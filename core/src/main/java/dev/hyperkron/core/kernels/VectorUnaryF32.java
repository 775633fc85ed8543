package dev.hyperkron.core.kernels;

import static dev.hyperkron.core.kernels.VectorKernelsF32.LANES;
import static dev.hyperkron.core.kernels.VectorKernelsF32.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD loops for the functions of one argument that have an exact vector form.
 *
 * <p>The Vector API's own transcendental functions are not used on purpose: it computes them
 * with different code before and after the JIT compiles a loop (measured on JDK 17 and 25: 4%
 * of F32 exp results differ in the last bit), which would make two runs of the same seed, or a
 * resumed and an uninterrupted run, disagree. The float exp, erf and GELU are instead fits in
 * plain arithmetic, which the Vector API computes exactly as scalar code does ({@link
 * VectorFloatFits}); log, tanh, sigmoid and softplus stay on the scalar loops.
 *
 * <p>Each op has its own small method: the Vector API operator is then a constant where it is
 * applied, and the JIT compiles each loop on its own profile. (One method holding every loop
 * behind a switch was measured 50x slower for ops first used after it had been compiled: their
 * never-profiled call sites are not inlined, so every vector is boxed.)
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
        switch (op) {
            case NEG -> neg(x, xOff, out, outOff, bound);
            case ABS -> abs(x, xOff, out, outOff, bound);
            case SQUARE -> square(x, xOff, out, outOff, bound);
            case SQRT -> sqrt(x, xOff, out, outOff, bound);
            case RECIPROCAL -> reciprocal(x, xOff, out, outOff, bound);
            case RELU -> relu(x, xOff, out, outOff, bound);
            case STEP -> step(x, xOff, out, outOff, bound);
            case SIGN -> sign(x, xOff, out, outOff, bound);
            case EXP -> {
                return VectorFloatFits.exp(x, xOff, out, outOff, n);
            }
            case ERF -> {
                return VectorFloatFits.erf(x, xOff, out, outOff, n);
            }
            case GELU -> {
                return VectorFloatFits.gelu(x, xOff, out, outOff, n);
            }
            default -> {
                return 0;
            }
        }
        return bound;
    }

    private static void neg(float[] x, int xOff, float[] out, int outOff, int bound) {
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).neg().intoArray(out, outOff + i);
        }
    }

    private static void abs(float[] x, int xOff, float[] out, int outOff, int bound) {
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).abs().intoArray(out, outOff + i);
        }
    }

    private static void square(float[] x, int xOff, float[] out, int outOff, int bound) {
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
    }

    private static void sqrt(float[] x, int xOff, float[] out, int outOff, int bound) {
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
    }

    private static void reciprocal(float[] x, int xOff, float[] out, int outOff, int bound) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            one.div(FloatVector.fromArray(SPECIES, x, xOff + i)).intoArray(out, outOff + i);
        }
    }

    private static void relu(float[] x, int xOff, float[] out, int outOff, int bound) {
        // MAX follows Math.max: NaN propagates, as it does through PyTorch's relu.
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).lanewise(VectorOperators.MAX, zero).intoArray(out, outOff + i);
        }
    }

    private static void step(float[] x, int xOff, float[] out, int outOff, int bound) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            zero.blend(one, v.compare(VectorOperators.GT, zero)).intoArray(out, outOff + i);
        }
    }

    private static void sign(float[] x, int xOff, float[] out, int outOff, int bound) {
        // Lanes that are neither > 0 nor < 0 (signed zeros, NaN) keep their value, like Math.signum.
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1.0f);
        FloatVector minusOne = one.neg();
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            v.blend(one, v.compare(VectorOperators.GT, zero))
                    .blend(minusOne, v.compare(VectorOperators.LT, zero))
                    .intoArray(out, outOff + i);
        }
    }
}
