package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The simplex projection is the Euclidean projection: its rows are distributions, it leaves
 * distributions alone, and no other distribution is closer to the input (checked against random
 * distributions and against the optimality condition y = max(x - tau, 0) with one tau per row).
 */
class SimplexProjectionProperties {

    @Test
    void knownProjections() {
        double[][] inputs = {{0.5, 0.5}, {2, 0}, {0.3, 0.3, 0.3}, {-1, -1, -1, -1}, {1, 0.5, -2}, {7}};
        double[][] expected = {{0.5, 0.5}, {1, 0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}, {0.25, 0.25, 0.25, 0.25}, {0.75, 0.25, 0},
            {1}};
        for (int i = 0; i < inputs.length; i++) {
            Tensor y = SimplexProjection.rows(Tensor.of(inputs[i], 1, inputs[i].length));
            assertArrayEquals(expected[i], y.toDoubleArray(), 1e-15, java.util.Arrays.toString(inputs[i]));
        }
    }

    @Property(tries = 200)
    void rowsAreTheClosestDistributions(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 8) int c,
                                        @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, DType.F64, n, c).mul(rng.nextDouble() * 4);
        Tensor y = SimplexProjection.rows(x);
        assertEquals(x.shape(), y.shape());
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double tau = Double.NaN;
            for (int j = 0; j < c; j++) {
                double v = ys[i * c + j];
                assertTrue(v >= 0, "negative entry " + v);
                sum += v;
                if (v > 0) {
                    tau = xs[i * c + j] - v; // the same for every positive entry
                }
            }
            assertEquals(1, sum, 1e-12, "row sum");
            for (int j = 0; j < c; j++) {
                assertEquals(Math.max(xs[i * c + j] - tau, 0), ys[i * c + j], 1e-12, "y = max(x - tau, 0)");
            }
            double distance = squaredDistance(xs, i * c, java.util.Arrays.copyOfRange(ys, i * c, (i + 1) * c));
            for (int k = 0; k < 20; k++) {
                double[] z = randomDistribution(rng, c);
                assertTrue(distance <= squaredDistance(xs, i * c, z) + 1e-12, "a random distribution is closer");
            }
        }
        assertArrayEquals(ys, SimplexProjection.rows(y).toDoubleArray(), 1e-12, "projecting twice changes nothing");
    }

    @Test
    void refusesWhatIsNotAMatrixOrNotFinite() {
        assertThrows(IllegalArgumentException.class, () -> SimplexProjection.rows(Tensor.zeros(DType.F64, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimplexProjection.rows(Tensor.of(new double[] {0, Double.NaN}, 1, 2)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    private static double[] randomDistribution(Rng rng, int c) {
        double[] z = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) {
            z[j] = -Math.log(1 - rng.nextDouble());
            sum += z[j];
        }
        for (int j = 0; j < c; j++) {
            z[j] /= sum;
        }
        return z;
    }

    /** ||x[from, from + c) - z||^2. */
    private static double squaredDistance(double[] x, int from, double[] z) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            double d = x[from + j] - z[j];
            s += d * d;
        }
        return s;
    }
}
