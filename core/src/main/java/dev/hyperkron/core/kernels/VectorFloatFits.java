package dev.hyperkron.core.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float exp, erf and GELU of {@link SpecialFunctions#exp(float)}, {@link
 * SpecialFunctions#erf(float)} and {@link SpecialFunctions#gelu(float)} on SIMD lanes: floats
 * widened to double lanes, the same fits evaluated with the same operations in the same order
 * (no fused multiply-adds), so every element is bit for bit the scalar result wherever it falls
 * in the array, before and after JIT compilation. A vector with a GELU
 * lane below -1.5 sqrt 2, which needs exp, is left to the scalar form. Overloads for double[] cover no
 * elements: the F64 kernels, generated from the F32 sources, keep the exact scalar functions.
 * <p>
 * The floats travel in vectors of the doubles' shape (twice as many lanes), split into two
 * halves to widen and joined again after narrowing, never in a narrower float vector: a
 * FloatVector of a second shape, even a rarely used one, pollutes the receiver type profiles
 * that FloatVector's shared methods (intoArray above all) keep for every caller, and C2 then
 * fails to intrinsify the store in whichever hot kernel it compiles from that profile
 * ("missing constant: vclass"), which runs it through the per-lane fallback, many times slower.
 */
final class VectorFloatFits {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** The kernels' float species (the preferred shape is the same for every element type). */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, DOUBLES.vectorShape());
    /** Double lanes: half the float lanes. */
    private static final int LANES = DOUBLES.length();
    /** Float lanes: one vector of floats is two of doubles. */
    private static final int STEP = FLOATS.length();
    /** Swaps the lower and upper halves of the float lanes. */
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(FLOATS, i -> (i + LANES) % STEP);
    /** The upper half of the float lanes. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(FLOATS, (-1L >>> (64 - STEP)) & ~(-1L >>> (64 - LANES)));
    private static final double GELU_TAIL = -1.5 * Math.sqrt(2);

    private VectorFloatFits() {
    }

    /** Writes exp of the longest run of whole vectors and returns its length. */
    static int exp(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += STEP) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + i);
            join(expFit(lower(v)), expFit(upper(v))).intoArray(out, outOff + i);
        }
        return bound;
    }

    /** Writes erf of the longest run of whole vectors and returns its length. */
    static int erf(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += STEP) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + i);
            join(erfFit(lower(v)), erfFit(upper(v))).intoArray(out, outOff + i);
        }
        return bound;
    }

    /** Writes GELU of the longest run of whole vectors and returns its length. */
    static int gelu(float[] x, int xOff, float[] out, int outOff, int n) {
        int bound = FLOATS.loopBound(Math.max(n, 0));
        for (int i = 0; i < bound; i += STEP) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + i);
            DoubleVector lo = lower(v);
            DoubleVector hi = upper(v);
            boolean loTail = lo.compare(VectorOperators.LT, GELU_TAIL).anyTrue();
            boolean hiTail = hi.compare(VectorOperators.LT, GELU_TAIL).anyTrue();
            // Rare: the scalar form for a half with a lane in the tail, which gives the other lanes the same
            // bits as the vector form.
            if (loTail && hiTail) {
                for (int j = i; j < i + STEP; j++) {
                    out[outOff + j] = (float) SpecialFunctions.gelu(x[xOff + j]);
                }
            } else {
                join(geluFit(lo), geluFit(hi)).intoArray(out, outOff + i);
                if (loTail || hiTail) {
                    // From the loaded lanes: the store may just have overwritten x.
                    float[] lanes = v.toArray();
                    for (int j = loTail ? 0 : LANES; j < (loTail ? LANES : STEP); j++) {
                        out[outOff + i + j] = (float) SpecialFunctions.gelu(lanes[j]);
                    }
                }
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

    // SpecialFunctions.gelu above the tail, lane by lane.
    private static DoubleVector geluFit(DoubleVector v) {
        return v.mul(0.5).mul(erfFit(v.mul(SpecialFunctions.SQRT_HALF)).add(1.0));
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

    /** The lower half of the float lanes, widened. */
    private static DoubleVector lower(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    /** The upper half of the float lanes, widened. */
    private static DoubleVector upper(FloatVector v) {
        return (DoubleVector) v.rearrange(SWAP_HALVES).convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    /** Both halves narrowed back into one vector of floats, lo's in the lower lanes. */
    private static FloatVector join(DoubleVector lo, DoubleVector hi) {
        FloatVector low = (FloatVector) lo.convertShape(VectorOperators.D2F, FLOATS, 0);
        FloatVector high = (FloatVector) hi.convertShape(VectorOperators.D2F, FLOATS, 0);
        return low.blend(high.rearrange(SWAP_HALVES), UPPER);
    }
}
