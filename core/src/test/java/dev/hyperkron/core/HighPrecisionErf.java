package dev.hyperkron.core;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An oracle for erf and the exact GELU: erf by its Maclaurin series in 90-digit decimal
 * arithmetic (so the alternating series' cancellation costs nothing), and erfc's asymptotic
 * series far in the tail. Deliberately unlike the library's series/continued-fraction split.
 */
final class HighPrecisionErf {
    /** Enough digits for the constants and for erf at the largest |z| the series is used for. */
    private static final MathContext MC = new MathContext(90);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);
    private static final BigDecimal SQRT_TWO = BigDecimal.valueOf(2).sqrt(MC);
    /** Beyond this |z|, erfc(z) < 5e-23: erf is +-1 in double and erfc's asymptotic series is exact enough. */
    private static final double SERIES_LIMIT = 7.0;

    private HighPrecisionErf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) >= SERIES_LIMIT) {
            return Math.signum(x);
        }
        return erfSeries(new BigDecimal(x)).doubleValue();
    }

    /** x Phi(x) = x (1 + erf(x / sqrt 2)) / 2. */
    static double gelu(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        BigDecimal bx = new BigDecimal(x);
        BigDecimal z = bx.divide(SQRT_TWO, MC);
        if (z.doubleValue() >= SERIES_LIMIT) {
            return x;
        }
        if (z.doubleValue() <= -SERIES_LIMIT) {
            return 0.5 * x * erfcAsymptotic(x);
        }
        BigDecimal phi = BigDecimal.ONE.add(erfSeries(z), MC).divide(BigDecimal.valueOf(2), MC);
        return bx.multiply(phi, MC).doubleValue();
    }

    // erf(z) = 2/sqrt(pi) sum_n (-1)^n z^(2n+1) / (n! (2n+1)). The terms grow to about e^{z^2} before
    // they shrink, and 1 + erf(z) can be as small as e^{-z^2}: 2 z^2 / ln 10 digits go to cancellation,
    // and 30 more keep the result exact to far beyond double precision.
    private static BigDecimal erfSeries(BigDecimal z) {
        double z2d = z.doubleValue() * z.doubleValue();
        MathContext mc = new MathContext(30 + (int) Math.ceil(0.87 * z2d));
        BigDecimal limit = BigDecimal.ONE.movePointLeft(mc.getPrecision() - 5);
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int n = 1; ; n++) {
            power = power.multiply(z2, mc).divide(BigDecimal.valueOf(-n), mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (n > z2d && term.abs().compareTo(limit) < 0) {
                return sum.multiply(TWO_OVER_SQRT_PI, mc);
            }
        }
    }

    // erfc(z) for z = -x / sqrt 2 >= 7: e^{-z^2} / (z sqrt pi) sum_n (-1)^n (2n-1)!! / (2 z^2)^n. The
    // exponent z^2 = x^2 / 2 is formed exactly (fma split) because e^{-z^2} amplifies its error by z^2.
    private static double erfcAsymptotic(double x) {
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        double z = -x / Math.sqrt(2);
        double twoZ2 = hi + lo;
        double term = 1;
        double sum = 1;
        for (int n = 1; n < 60; n++) {
            double next = -term * (2 * n - 1) / twoZ2;
            if (Math.abs(next) >= Math.abs(term)) {
                break;
            }
            term = next;
            sum += term;
        }
        return Math.exp(-0.5 * hi) * (1 - 0.5 * lo) / (z * Math.sqrt(Math.PI)) * sum;
    }
}
