package dev.hyperkron.core.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float exp, erf and GELU of {@link SpecialFunctions#exp(float)}, {@link
 * SpecialFunctions#erf(float)} and {@link SpecialFunctions#gelu(float)} on SIMD lanes: floats
 * widened to double lanes, the same fits evaluated with the same operations in the same order
 * (no fused multiply-adds), so every element is bit for bit the scalar result wherever it falls
 * in the array, before and after JIT compilation. A vector with a GELU
 * lane below -1.5 sqrt 2, which needs exp, is left to the scalar form. Overloads for double[] cover no
 * elements: the F64 kernels, generated from the F32 sources, keep the exact scalar functions.
 */
final class VectorFloatFits {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.length() * Float.SIZE));
    private static final int LANES = DOUBLES.length();
    private static final double GELU_TAIL = -1.5 * Math.sqrt(2);

    private VectorFloatFits() {
    }

    /** Writes exp of the longest run of whole vectors and returns its length. */
    static int exp(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += LANES) {
            narrow(expFit(widen(x, xOff + i))).intoArray(out, outOff + i);
        }
        return bound;
    }

    /** Writes erf of the longest run of whole vectors and returns its length. */
    static int erf(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += LANES) {
            narrow(erfFit(widen(x, xOff + i))).intoArray(out, outOff + i);
        }
        return bound;
    }

    /** Writes GELU of the longest run of whole vectors and returns its length. */
    static int gelu(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += LANES) {
            DoubleVector v = widen(x, xOff + i);
            if (v.compare(VectorOperators.LT, GELU_TAIL).anyTrue()) {
                // Rare: the scalar form, which gives the other lanes the same bits as the vector form.
                for (int j = i; j < i + LANES; j++) {
                    out[outOff + j] = (float) SpecialFunctions.gelu(x[xOff + j]);
                }
            } else {
                narrow(v.mul(0.5).mul(erfFit(v.mul(SpecialFunctions.SQRT_HALF)).add(1.0))).intoArray(out, outOff + i);
            }
        }
        return bound;
    }

    /** F64: no elements; the scalar functions do them all. */
    static int exp(double[] x, int xOff, double[] out, int outOff, int n) {
        return 0;
    }

    /** F64: no elements; the exact scalar functions do them all. */
    static int erf(double[] x, int xOff, double[] out, int outOff, int n) {
        return 0;
    }

    /** F64: no elements; the exact scalar functions do them all. */
    static int gelu(double[] x, int xOff, double[] out, int outOff, int n) {
        return 0;
    }

    // SpecialFunctions.expFit, lane by lane.
    private static DoubleVector expFit(DoubleVector x) {
        DoubleVector c = x.max(SpecialFunctions.EXP_LOW).min(SpecialFunctions.EXP_HIGH);
        DoubleVector shifted = c.mul(SpecialFunctions.LOG2E).add(SpecialFunctions.ROUNDER);
        DoubleVector r = c.sub(shifted.sub(SpecialFunctions.ROUNDER).mul(SpecialFunctions.LN2));
        DoubleVector scale = ((LongVector) shifted.reinterpretAsLongs()).add(1023L).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return polynomial(SpecialFunctions.EXP_TAYLOR, r).mul(scale);
    }

    // SpecialFunctions.erfFit, lane by lane.
    private static DoubleVector erfFit(DoubleVector x) {
        DoubleVector ax = x.abs().min(4.0);
        DoubleVector u = ax.mul(ax);
        DoubleVector r = ax.mul(polynomial(SpecialFunctions.ERF_P, u)).div(polynomial(SpecialFunctions.ERF_Q, u)).min(1.0);
        return r.blend(r.neg(), x.compare(VectorOperators.LT, 0.0));
    }

    private static DoubleVector polynomial(double[] c, DoubleVector u) {
        DoubleVector r = DoubleVector.broadcast(DOUBLES, c[c.length - 1]);
        for (int k = c.length - 2; k >= 0; k--) {
            r = r.mul(u).add(c[k]);
        }
        return r;
    }

    private static DoubleVector widen(float[] x, int offset) {
        return (DoubleVector) FloatVector.fromArray(FLOATS, x, offset).convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    private static FloatVector narrow(DoubleVector y) {
        return (FloatVector) y.convertShape(VectorOperators.D2F, FLOATS, 0);
    }
}
