package dev.hyperkron.core.kernels;

/**
 * Scalar special functions the JDK lacks (erf for the exact GELU): within a few ulps in double
 * precision, and cheaper forms for float results that are within about an ulp after rounding to
 * float.
 */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    static final double SQRT_HALF = 0.7071067811865476;

    private SpecialFunctions() {
    }

    /** The error function: at most 4 ulps from the exact value on [-7, 7] (series below 1.5, continued fraction above). */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x)) {
            return Math.signum(x);
        }
        double ax = Math.abs(x);
        double r = ax < 1.5 ? erfSeries(ax) : 1.0 - erfcContinuedFraction(ax);
        return x < 0 ? -r : r;
    }

    /** Standard normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
    public static double normalCdf(double x) {
        if (x < -1.5 * Math.sqrt(2)) { // avoid cancellation in 1 + erf for large negative x
            return 0.5 * erfcContinuedFraction(-x * SQRT_HALF);
        }
        return 0.5 * (1.0 + erf(x * SQRT_HALF));
    }

    /** GELU(x) = x Phi(x), the exact (erf-based) form used by PyTorch by default. */
    public static double gelu(double x) {
        return x == Double.NEGATIVE_INFINITY ? 0.0 : x * normalCdf(x);
    }

    // Rational minimax fits, made for this class by iteratively reweighted least squares in float64:
    // erf(x) = x P(x^2) / Q(x^2) on [0, 4] (relative error below 2.1e-9; erf(4) rounds to 1 in float), and
    // erfc(t) = e^{-t^2} / t * R(1 / t^2) / S(1 / t^2) for t >= 1.5 (relative error below 2.1e-10).
    static final double[] ERF_P = {1.128379169382813, 0.18520303067110755, 0.0543168478928167,
        0.0038495986566579256, 0.0003796069996072921, 4.6847328784606346e-06, -1.32019883636314e-08};
    static final double[] ERF_Q = {1.0, 0.4974653263180877, 0.11395830341043663, 0.0154620576539385,
        0.0013075647171532055, 6.311015227577609e-05};
    private static final double[] ERFC_R = {0.564189582036527, 5.375995791567575, 13.470052403867705,
        8.747297402335228, 0.6787760729313783};
    private static final double[] ERFC_S = {1.0, 10.028703835126814, 28.1394456444624, 23.925542436507108,
        4.345532113452078};

    /**
     * erf of a float, accurate for a float result: within 0.54 ulp of float after rounding
     * (UnaryOpProperties checks it against a 90-digit oracle), at a small fraction of the cost of
     * {@link #erf(double)}. An overload, so that the F64 kernels generated from the F32 sources
     * call the double-precision form.
     */
    public static double erf(float x) {
        return erfFit(x);
    }

    // exp(x) = 2^k e^r, k = round(x log2 e) by adding 1.5 * 2^52 (which leaves k in the low bits, so
    // 2^k is those bits shifted into the exponent field), |r| <= ln 2 / 2, e^r by its Taylor polynomial
    // to degree 7 (truncation below 6e-9 relative); x clamped to where float results differ.
    static final double EXP_LOW = -110.0;
    static final double EXP_HIGH = 89.0;
    static final double LOG2E = 1.4426950408889634;
    static final double LN2 = 0.6931471805599453;
    static final double ROUNDER = 6755399441055744.0;
    static final double[] EXP_TAYLOR = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040};

    /**
     * exp of a float, accurate for a float result (within an ulp of float after rounding) and
     * computable lane by lane in plain arithmetic, so SIMD and scalar loops agree bit for bit;
     * overflows to infinity and underflows to zero where float does.
     */
    public static double exp(float x) {
        double c = Math.min(Math.max(x, EXP_LOW), EXP_HIGH);
        double shifted = c * LOG2E + ROUNDER;
        double r = c - (shifted - ROUNDER) * LN2;
        return polynomial(EXP_TAYLOR, r) * Double.longBitsToDouble((Double.doubleToRawLongBits(shifted) + 1023) << 52);
    }

    /** exp of a double: {@link Math#exp} (the overload the F64 kernels, generated from the F32 sources, call). */
    public static double exp(double x) {
        return Math.exp(x);
    }

    private static double erfFit(double x) {
        double ax = Math.min(Math.abs(x), 4.0); // NaN stays NaN
        double u = ax * ax;
        double r = Math.min(ax * polynomial(ERF_P, u) / polynomial(ERF_Q, u), 1.0);
        return x < 0 ? -r : r; // as erf(double): erf(-0.0) = 0.0
    }

    /**
     * The exact GELU of a float, within about an ulp of float: x (1 + erf(x / sqrt 2)) / 2 from the
     * erf fit, and below -1.5 sqrt 2, where 1 + erf cancels, x erfc(-x / sqrt 2) / 2 from the erfc fit.
     */
    public static double gelu(float x) {
        if (x < -1.5 * Math.sqrt(2)) {
            if (x == Double.NEGATIVE_INFINITY) {
                return 0.0;
            }
            double t = -x * SQRT_HALF;
            double s = 1.0 / (t * t);
            return x * 0.5 * Math.exp(-t * t) / t * polynomial(ERFC_R, s) / polynomial(ERFC_S, s);
        }
        return 0.5 * x * (1.0 + erfFit(x * SQRT_HALF));
    }

    private static double polynomial(double[] c, double u) {
        double r = c[c.length - 1];
        for (int k = c.length - 2; k >= 0; k--) {
            r = r * u + c[k];
        }
        return r;
    }

    // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (2n+1)!!: all terms positive, no cancellation;
    // the sum is compensated and e^{-x^2} taken without rounding x^2, so the result is within an ulp or two.
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        double compensation = 0;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            double y = term - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
    }

    /** e^{-x^2} with x^2 split exactly (x = hi + lo, hi with 26 significant bits), as fdlibm's erf does. */
    private static double expMinusSquare(double x) {
        double hi = Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xFFFFFFFFF8000000L);
        double lo = x - hi;
        return Math.exp(-hi * hi) * Math.exp(-lo * (x + hi));
    }

    // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz, x >= 1.5.
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k * 0.5;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * expMinusSquare(x) / f;
    }
}
