package dev.hyperkron.core.kernels;

/** Scalar special functions the JDK lacks (erf for the exact GELU), within a few ulps in double precision. */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SQRT_HALF = 0.7071067811865476;

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
