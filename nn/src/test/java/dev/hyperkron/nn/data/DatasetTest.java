package dev.hyperkron.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.device.SimulatedDevice;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Example i has features [i, 10 i] and label i mod classes. */
    static Dataset counting(int n, int classes) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % classes;
        }
        return Dataset.of(Tensor.of(x, n, 2), Tensor.of(y), classes);
    }

    @Test
    void sourceSetsIndexTheirExamplesByPosition() {
        Dataset d = counting(5, 3);
        assertEquals(5, d.size());
        assertEquals(Tensor.arange(DType.I64, 5), d.indices());
        assertEquals(DType.I64, d.labels().dtype());
        assertEquals(Shape.of(2), d.exampleShape());
        assertArrayEquals(new int[] {2, 2, 1}, d.classCounts());
    }

    @Test
    void subsetsKeepTheSourceIndicesSoExamplesCanBeTracedBack() {
        Dataset d = counting(10, 3);
        Dataset sub = d.subset(new int[] {7, 2, 7});
        assertEquals(Tensor.of(new long[] {7, 2, 7}), sub.indices());
        assertEquals(Tensor.of(new long[] {1, 2, 1}), sub.labels());
        assertEquals(Tensor.of(new float[] {7, 70, 2, 20, 7, 70}, 3, 2), sub.features());
        Dataset subOfSub = sub.subset(Tensor.of(new int[] {1}));
        assertEquals(2, subOfSub.index(0));
        assertEquals(Tensor.of(new long[] {3, 4}), d.slice(3, 5).indices());
    }

    @Test
    void labelsOutsideTheClassesAreRejectedWithTheValueAndPosition() {
        Dataset d = counting(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.withLabels(Tensor.of(new long[] {0, 1, 3, 0})));
        assertTrue(e.getMessage().contains("label 3 at position 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withLabels(Tensor.of(new long[] {0, -1, 0, 0})));
        assertThrows(IllegalArgumentException.class, () -> d.withLabels(Tensor.of(new long[] {0, 1})));
        assertThrows(IllegalArgumentException.class, () -> d.withLabels(Tensor.of(new float[] {0, 1, 0, 0})));
    }

    @Test
    void withLabelsKeepsFeaturesAndIndices() {
        Dataset d = counting(4, 3).subset(new int[] {3, 1});
        Dataset relabelled = d.withLabels(Tensor.of(new int[] {2, 2}));
        assertEquals(Tensor.of(new long[] {2, 2}), relabelled.labels());
        assertEquals(d.features(), relabelled.features());
        assertEquals(d.indices(), relabelled.indices());
    }

    @Test
    void badPositionsAndShapesAreRejected() {
        Dataset d = counting(4, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(Tensor.of(new long[] {-1})));
        assertThrows(IndexOutOfBoundsException.class, () -> d.slice(2, 5));
        assertThrows(IllegalArgumentException.class, () -> d.withFeatures(Tensor.zeros(DType.F32, 3, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.zeros(DType.F32, 4, 2), Tensor.zeros(DType.I64, 4), 0));
    }

    @Test
    void nonFiniteFeaturesAreRejectedWithTheExampleAndFeature() {
        float[] x = {1, 2, 3, Float.NaN};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.of(x, 2, 2), Tensor.of(new long[] {0, 1}), 2));
        assertTrue(e.getMessage().contains("feature 1 of example 1 is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(Tensor.of(new double[] {Double.NEGATIVE_INFINITY}, 1, 1),
                Tensor.of(new long[] {0}), 1));
    }

    /**
     * On a device the check reads one number (a sum of squares in double): a NaN is found and named
     * as on the host, and features too large to square in F64 are still accepted (the exact check
     * on the host clears them).
     */
    @Test
    void featuresOnADeviceAreCheckedAsOnTheHost() {
        SimulatedDevice device = new SimulatedDevice("sim:0");
        Tensor labels = Tensor.of(new long[] {0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(
                Tensor.of(new double[] {1, 2, 3, Double.NaN}, 2, 2).to(device), labels, 2));
        assertTrue(e.getMessage().contains("feature 1 of example 1 is NaN"), e.getMessage());
        long downloads = device.downloads();
        Dataset.of(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).to(device), labels, 2);
        assertEquals(downloads, device.downloads(), "finite features are not copied to the host");
        Dataset huge = Dataset.of(Tensor.of(new double[] {1e200, -1e200, 3, 4}, 2, 2).to(device), labels, 2);
        assertEquals(device, huge.features().device());
    }

    @Test
    void examplesReshapeAndCast() {
        Dataset d = counting(3, 2);
        Dataset images = d.reshapeExamples(1, 1, 2);
        assertEquals(Shape.of(3, 1, 1, 2), images.features().shape());
        assertEquals(DType.F64, d.cast(DType.F64).features().dtype());
    }

    @Test
    void emptySubsetsAreAllowed() {
        Dataset empty = counting(3, 2).subset(new int[0]);
        assertEquals(0, empty.size());
        assertEquals(Shape.of(0, 2), empty.features().shape());
    }
}
