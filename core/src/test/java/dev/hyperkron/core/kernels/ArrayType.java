package dev.hyperkron.core.kernels;

/**
 * The test-side view of one storage type ({@code float[]} or {@code double[]}): conversion to and
 * from double[], rounding to the type, distances in units in the last place, and the type's
 * special values. It lets one contract test run unchanged against kernels of either type.
 */
abstract class ArrayType<A> {
    static final ArrayType<float[]> F32 = new ArrayType<>("F32", 0x1p-24) {
        @Override
        float[] of(double[] values) {
            float[] a = new float[values.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) values[i];
            }
            return a;
        }

        @Override
        double[] values(float[] array) {
            double[] v = new double[array.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = array[i];
            }
            return v;
        }

        @Override
        double round(double x) {
            return (float) x;
        }

        @Override
        long ulpDistance(double a, double b) {
            return Math.abs(ordered(Float.floatToIntBits((float) a)) - ordered(Float.floatToIntBits((float) b)));
        }

        private long ordered(int bits) {
            return bits < 0 ? -(long) (bits & Integer.MAX_VALUE) : bits;
        }

        @Override
        double minSubnormal() {
            return Float.MIN_VALUE;
        }

        @Override
        double minNormal() {
            return Float.MIN_NORMAL;
        }

        @Override
        double maxFinite() {
            return Float.MAX_VALUE;
        }
    };

    static final ArrayType<double[]> F64 = new ArrayType<>("F64", 0x1p-53) {
        @Override
        double[] of(double[] values) {
            return values.clone();
        }

        @Override
        double[] values(double[] array) {
            return array.clone();
        }

        @Override
        double round(double x) {
            return x;
        }

        @Override
        long ulpDistance(double a, double b) {
            // Differences of ordered bit patterns can exceed the long range only across the whole
            // line (e.g. -MAX to +MAX); clamp rather than overflow.
            long oa = ordered(Double.doubleToLongBits(a));
            long ob = ordered(Double.doubleToLongBits(b));
            long d = oa - ob;
            return ((oa ^ ob) < 0 && (d ^ oa) < 0) ? Long.MAX_VALUE : Math.abs(d);
        }

        private long ordered(long bits) {
            return bits < 0 ? -(bits & Long.MAX_VALUE) : bits;
        }

        @Override
        double minSubnormal() {
            return Double.MIN_VALUE;
        }

        @Override
        double minNormal() {
            return Double.MIN_NORMAL;
        }

        @Override
        double maxFinite() {
            return Double.MAX_VALUE;
        }
    };

    private final String name;
    private final double unitRoundoff;

    private ArrayType(String name, double unitRoundoff) {
        this.name = name;
        this.unitRoundoff = unitRoundoff;
    }

    /** An array holding the values, each rounded to the type. */
    abstract A of(double[] values);

    /** The array's elements as doubles (exactly). */
    abstract double[] values(A array);

    /** The nearest value of the type. */
    abstract double round(double x);

    /** Distance in units in the last place of the type between two non-NaN values of the type; +0 and -0 are 0 apart. */
    abstract long ulpDistance(double a, double b);

    abstract double minSubnormal();

    abstract double minNormal();

    abstract double maxFinite();

    /** Half the distance from 1 to the next value of the type: the relative error bound of one rounding. */
    double unitRoundoff() {
        return unitRoundoff;
    }

    /** Values where kernels most often get semantics wrong: NaN, infinities, signed zeros, range ends. */
    double[] specials() {
        return new double[] {
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0, 0.5, -2.0,
            minSubnormal(), -minSubnormal(), minNormal(), -minNormal(), maxFinite(), -maxFinite()
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
