package dev.hyperkron.bench.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * The mean and sample standard deviation of one quantity over repeated runs (seeds), as tables
 * print it: "m" for one run, "m ± sd" for several, "-" for none. Runs without a finite value (a
 * run that diverged before its first evaluation) are left out and counted as missing.
 *
 * @param mean  the mean of the finite values (NaN when there are none)
 * @param sd    their sample standard deviation (0 for a single value, NaN for none)
 * @param count how many finite values there were
 */
public record MeanSpread(double mean, double sd, int count) {

    /** The statistics of the finite values among {@code values}. */
    public static MeanSpread of(double... values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return new MeanSpread(Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(finite).average().orElseThrow();
        if (finite.length == 1) {
            return new MeanSpread(mean, 0, 1);
        }
        double squares = Arrays.stream(finite).map(x -> (x - mean) * (x - mean)).sum();
        return new MeanSpread(mean, Math.sqrt(squares / (finite.length - 1)), finite.length);
    }

    /** "m" (one value), "m ± sd" (several) or "-" (none), with {@code decimals} decimals. */
    public String format(int decimals) {
        if (count == 0) {
            return "-";
        }
        String f = "%." + decimals + "f";
        return count == 1 ? String.format(Locale.ROOT, f, mean) : String.format(Locale.ROOT, f + " ± " + f, mean, sd);
    }
}
