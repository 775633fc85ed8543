package dev.hyperkron.core.kernels;

import java.util.Random;

/**
 * Seeded test inputs for kernels, already rounded to the storage type. Each mix is chosen for what
 * a kernel must get right: {@link Mix#ANY} for semantics over the whole line including special
 * values, {@link Mix#POOL} for many exact ties (comparisons, select), {@link Mix#MODERATE} for
 * sums whose partials must not overflow, {@link Mix#SMALL_INTEGERS} for exactly representable sums.
 */
final class RandomValues {
    enum Mix { ANY, POOL, MODERATE, SMALL_INTEGERS }

    private static final double[] POOL = {0.0, -0.0, 1.0, -1.0, 2.0, Double.NaN};

    private final Random random;
    private final ArrayType<?> type;

    RandomValues(long seed, ArrayType<?> type) {
        this.random = new Random(seed);
        this.type = type;
    }

    /** Length {@code off + n + pad}: values in [off, off + n), a sentinel in the rest. */
    double[] padded(int off, int n, int pad, Mix mix, double sentinel) {
        double[] v = new double[off + n + pad];
        java.util.Arrays.fill(v, sentinel);
        for (int i = 0; i < n; i++) {
            v[off + i] = next(mix);
        }
        return v;
    }

    double next(Mix mix) {
        double[] specials = type.specials();
        double v = switch (mix) {
            case ANY -> switch (random.nextInt(10)) {
                case 0, 1 -> specials[random.nextInt(specials.length)];
                case 2, 3 -> wide();
                case 4 -> random.nextInt(7) - 3;
                default -> 20 * random.nextDouble() - 10;
            };
            case POOL -> POOL[random.nextInt(POOL.length)];
            case MODERATE -> random.nextInt(200) == 0
                    ? specials[random.nextInt(3)]
                    : 200 * random.nextDouble() - 100;
            case SMALL_INTEGERS -> random.nextInt(17) - 8;
        };
        return type.round(v);
    }

    /** A random sign, mantissa and exponent spanning the type's range, including subnormals and overflow. */
    private double wide() {
        int maxExponent = Math.getExponent(type.maxFinite()) + 2;
        // Not Math.getExponent: it reports every subnormal double as MIN_EXPONENT - 1.
        int minExponent = (int) Math.floor(Math.log(type.minSubnormal()) / Math.log(2)) - 2;
        int e = minExponent + random.nextInt(maxExponent - minExponent + 1);
        double m = 1 + random.nextDouble();
        return (random.nextBoolean() ? m : -m) * Math.scalb(1.0, e);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    double nextDouble() {
        return random.nextDouble();
    }
}
