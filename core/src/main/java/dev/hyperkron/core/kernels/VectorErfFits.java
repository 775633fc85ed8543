package dev.hyperkron.core.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float erf and GELU of {@link SpecialFunctions#erf(float)} and {@link
 * SpecialFunctions#gelu(float)} on SIMD lanes: floats widened to double lanes, the same rational
 * fits evaluated with the same operations in the same order (no fused multiply-adds), so every
 * element is bit for bit the scalar result wherever it falls in the array. GELU lanes below
 * -1.5 sqrt 2, which need exp, are redone by the scalar form. Overloads for double[] cover no
 * elements: the F64 kernels, generated from the F32 sources, keep the exact scalar functions.
 */
final class VectorErfFits {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.length() * Float.SIZE));
    private static final int LANES = DOUBLES.length();
    private static final double GELU_TAIL = -1.5 * Math.sqrt(2);

    private VectorErfFits() {
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
            DoubleVector y = v.mul(0.5).mul(erfFit(v.mul(SpecialFunctions.SQRT_HALF)).add(1.0));
            narrow(y).intoArray(out, outOff + i);
            VectorMask<Double> tail = v.compare(VectorOperators.LT, GELU_TAIL);
            if (tail.anyTrue()) {
                for (int lane = 0; lane < LANES; lane++) {
                    if (tail.laneIsSet(lane)) {
                        // From the lane, not from x: out may be x, already overwritten.
                        out[outOff + i + lane] = (float) SpecialFunctions.gelu((float) v.lane(lane));
                    }
                }
            }
        }
        return bound;
    }

    /** F64: no elements; the exact scalar functions do them all. */
    static int erf(double[] x, int xOff, double[] out, int outOff, int n) {
        return 0;
    }

    /** F64: no elements; the exact scalar functions do them all. */
    static int gelu(double[] x, int xOff, double[] out, int outOff, int n) {
        return 0;
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
