package dev.hyperkron.core;

/**
 * Seeded, splittable random numbers (SplitMix64). Its whole state is two longs, so a run can
 * checkpoint it and resume bit-for-bit; {@link #split()} gives independent streams to
 * sub-tasks (data shuffling, dropout, label sampling) without sharing one generator.
 * Not thread-safe: give each thread its own split.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long seed;
    private final long gamma;

    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** Restores a generator from {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state == null || state.length != 2 || (state[1] & 1L) == 0) {
            throw new IllegalArgumentException("invalid Rng state: expected two longs with an odd gamma");
        }
        return new Rng(state[0], state[1]);
    }

    /** The full state: restoring it with {@link #fromState} continues the same stream. */
    public long[] state() {
        return new long[] {seed, gamma};
    }

    /** A new generator whose stream is independent of this one's continuation. */
    public Rng split() {
        return new Rng(nextLong(), mixGamma(nextSeed()));
    }

    public long nextLong() {
        return mix64(nextSeed());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        // Rejection sampling on 31 random bits keeps the result unbiased.
        int limit = Integer.MAX_VALUE - (Integer.MAX_VALUE % bound + 1) % bound;
        while (true) {
            int r = (int) (nextLong() >>> 33);
            if (r <= limit) {
                return r % bound;
            }
        }
    }

    /** Standard normal sample (Box-Muller; one uniform pair per sample keeps the state minimal). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Index i drawn with probability p[i] / sum(p); p must be non-negative with a positive sum. */
    public int categorical(double[] p) {
        double total = 0;
        for (double x : p) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("categorical: probabilities must be finite and non-negative, got " + x);
            }
            total += x;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("categorical: probabilities sum to " + total);
        }
        double u = nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        for (int i = p.length - 1; i >= 0; i--) { // rounding left u at the very top
            if (p[i] > 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable: positive total without a positive entry");
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: size must be non-negative, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        return Long.bitCount(z ^ (z >>> 1)) < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
