package dev.hyperkron.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The generator's contract: reproducible, resumable from its state, splittable into
 * independent streams, and unbiased in every sampler. Statistical checks use fixed seeds and
 * chi-square critical values at p = 0.001, so they are deterministic.
 */
class RngProperties {

    @Property(tries = 50)
    void stateRoundTripContinuesTheSameStream(@ForAll long seed, @ForAll @IntRange(max = 20) int skip,
            @ForAll boolean afterSplit) {
        Rng rng = afterSplit ? new Rng(seed).split() : new Rng(seed);
        for (int i = 0; i < skip; i++) {
            rng.nextLong();
        }
        Rng resumed = Rng.fromState(rng.state());
        for (int i = 0; i < 50; i++) {
            assertEquals(rng.nextLong(), resumed.nextLong());
        }
        assertEquals(rng.nextGaussian(), resumed.nextGaussian());
        assertArrayEquals(rng.split().state(), resumed.split().state());
        assertArrayEquals(rng.state(), resumed.state());
    }

    @Property(tries = 20)
    void theSameSeedGivesTheSameStream(@ForAll long seed) {
        Rng a = new Rng(seed);
        Rng b = new Rng(seed);
        for (int i = 0; i < 20; i++) {
            assertEquals(a.nextLong(), b.nextLong());
            assertEquals(a.nextInt(17), b.nextInt(17));
            assertEquals(a.nextDouble(), b.nextDouble());
        }
        assertNotEquals(new Rng(seed).nextLong(), new Rng(seed + 1).nextLong());
    }

    @Example
    void fromStateRejectsStatesItCannotHaveProduced() {
        LayoutProperties.assertNamesOp("invalid Rng state", () -> Rng.fromState(null));
        LayoutProperties.assertNamesOp("invalid Rng state", () -> Rng.fromState(new long[] {1}));
        LayoutProperties.assertNamesOp("invalid Rng state", () -> Rng.fromState(new long[] {1, 2}));
    }

    @Example
    void splitStreamsAreUncorrelatedWithTheParentAndEachOther() {
        int n = 100_000;
        Rng parent = new Rng(12345);
        Rng child = parent.split();
        Rng sibling = parent.split();
        double[] p = new double[n];
        double[] c = new double[n];
        double[] s = new double[n];
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long a = parent.nextLong();
            long b = child.nextLong();
            long d = sibling.nextLong();
            seen.add(a);
            seen.add(b);
            seen.add(d);
            p[i] = (a >>> 11) * 0x1.0p-53;
            c[i] = (b >>> 11) * 0x1.0p-53;
            s[i] = (d >>> 11) * 0x1.0p-53;
        }
        assertEquals(3 * n, seen.size(), "the streams share values");
        // Correlation of independent uniforms has standard error 1/sqrt(n); allow five.
        double bound = 5 / Math.sqrt(n);
        assertEquals(0, correlation(p, c), bound);
        assertEquals(0, correlation(p, s), bound);
        assertEquals(0, correlation(c, s), bound);
        double[] shifted = java.util.Arrays.copyOfRange(c, 1, n);
        assertEquals(0, correlation(java.util.Arrays.copyOf(p, n - 1), shifted), bound);
    }

    private static double correlation(double[] x, double[] y) {
        int n = x.length;
        double mx = java.util.Arrays.stream(x).average().orElseThrow();
        double my = java.util.Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Example
    void nextIntIsUniformByChiSquare() {
        Rng rng = new Rng(99);
        int bound = 10;
        int n = 100_000;
        long[] counts = new long[bound];
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(bound)]++;
        }
        double[] expected = new double[bound];
        java.util.Arrays.fill(expected, (double) n / bound);
        assertTrue(chiSquare(counts, expected) < 27.88, "chi-square with 9 degrees of freedom above p = 0.001");
    }

    @Example
    void nextIntHasNoModuloBiasForBoundsNear2To31() {
        // With r % bound on 31 random bits, values below 2^31 - bound = 2^29 would come up half the
        // time instead of a third.
        int bound = 3 << 29;
        Rng rng = new Rng(5);
        int n = 30_000;
        int low = 0;
        for (int i = 0; i < n; i++) {
            int v = rng.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
            low += v < (1 << 29) ? 1 : 0;
        }
        assertEquals(1.0 / 3, (double) low / n, 5 * Math.sqrt(2.0 / 9 / n));
        Rng edge = new Rng(6);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, edge.nextInt(1));
            int v = edge.nextInt(Integer.MAX_VALUE);
            assertTrue(v >= 0 && v < Integer.MAX_VALUE);
        }
        LayoutProperties.assertNamesOp("nextInt", () -> edge.nextInt(0));
    }

    @Example
    void nextDoubleAndNextGaussianHaveTheirMoments() {
        Rng rng = new Rng(31);
        int n = 200_000;
        double mean = 0;
        double m2 = 0;
        double gaussMean = 0;
        double gaussM2 = 0;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            assertTrue(u >= 0 && u < 1);
            mean += u / n;
            m2 += u * u / n;
            double g = rng.nextGaussian();
            gaussMean += g / n;
            gaussM2 += g * g / n;
        }
        assertEquals(0.5, mean, 5 * Math.sqrt(1.0 / 12 / n));
        assertEquals(1.0 / 3, m2, 5 * Math.sqrt(4.0 / 45 / n));
        assertEquals(0, gaussMean, 5 / Math.sqrt(n));
        assertEquals(1, gaussM2, 5 * Math.sqrt(2.0 / n));
    }

    @Example
    void categoricalDrawsEachIndexWithItsProbabilityAndNeverAZeroOne() {
        double[] p = {0.5, 0, 2, 1.5, 0, 1};
        double total = 5;
        Rng rng = new Rng(77);
        int n = 100_000;
        long[] counts = new long[p.length];
        for (int i = 0; i < n; i++) {
            counts[rng.categorical(p)]++;
        }
        assertEquals(0, counts[1]);
        assertEquals(0, counts[4]);
        long[] nonZero = {counts[0], counts[2], counts[3], counts[5]};
        double[] expected = {n * 0.5 / total, n * 2 / total, n * 1.5 / total, n * 1 / total};
        assertTrue(chiSquare(nonZero, expected) < 16.27, "chi-square with 3 degrees of freedom above p = 0.001");
        assertEquals(2, new Rng(1).categorical(new double[] {0, 0, 1e-300}));
    }

    @Example
    void categoricalRejectsInvalidProbabilities() {
        Rng rng = new Rng(1);
        for (double[] p : new double[][] {{}, {0, 0}, {-1, 2}, {Double.NaN, 1}, {Double.POSITIVE_INFINITY, 1}}) {
            LayoutProperties.assertNamesOp("categorical", () -> rng.categorical(p));
        }
    }

    @Property(tries = 50)
    void permutationContainsEveryIndexOnce(@ForAll long seed, @ForAll @IntRange(max = 50) int n) {
        int[] p = new Rng(seed).permutation(n);
        int[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Example
    void permutationsOfThreeAreEquallyLikely() {
        Rng rng = new Rng(4242);
        int n = 60_000;
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(java.util.Arrays.toString(rng.permutation(3)), 1L, Long::sum);
        }
        assertEquals(6, counts.size());
        double[] expected = new double[6];
        java.util.Arrays.fill(expected, n / 6.0);
        long[] observed = counts.values().stream().mapToLong(Long::longValue).toArray();
        assertTrue(chiSquare(observed, expected) < 20.52, "chi-square with 5 degrees of freedom above p = 0.001");
        LayoutProperties.assertNamesOp("permutation", () -> rng.permutation(-1));
    }

    private static double chiSquare(long[] observed, double[] expected) {
        double chi = 0;
        for (int i = 0; i < observed.length; i++) {
            chi += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
        }
        return chi;
    }
}
