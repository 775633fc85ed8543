package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.fail;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures for the optimizer tests: a small multi-tensor model's parameters and conversions to double arrays. */
final class OptimFixtures {
    static final List<String> NAMES = List.of("fc1.weight", "fc1.bias", "fc2.weight", "scale");
    static final List<int[]> SHAPES = List.of(new int[] {3, 4}, new int[] {3}, new int[] {2, 3}, new int[] {});

    private OptimFixtures() {
    }

    /** Standard-normal tensors with the fixture's names and shapes, as fresh leaves. */
    static Params randomParams(Rng rng, DType dtype) {
        List<Tensor> values = new ArrayList<>();
        for (int[] shape : SHAPES) {
            values.add(Tensor.randn(rng, dtype, shape));
        }
        return Params.leaves(NAMES, values);
    }

    /** Standard-normal tensors with the names and shapes of {@code like}. */
    static Params randomLike(Rng rng, Params like) {
        List<Tensor> values = new ArrayList<>();
        for (Tensor t : like.values()) {
            values.add(Tensor.randn(rng, t.dtype(), t.shape().dims()));
        }
        return like.withValues(values);
    }

    /** The values of every entry, in order, widened to double. */
    static List<double[]> toDoubles(Params params) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : params.values()) {
            out.add(t.toDoubleArray());
        }
        return out;
    }

    /** Fails naming the parameter and element unless |actual - expected| <= atol + rtol |expected| everywhere. */
    static void assertClose(List<double[]> expected, Params actual, double rtol, double atol, String context) {
        List<String> names = actual.names();
        List<double[]> got = toDoubles(actual);
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.get(i).length; j++) {
                double e = expected.get(i)[j];
                double a = got.get(i)[j];
                if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                    fail(context + ": '" + names.get(i) + "'[" + j + "] is " + a + ", the reference gives " + e);
                }
            }
        }
    }

    /** Deep copies of the values, to check later that nothing was modified. */
    static List<Tensor> snapshot(Params params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : params.values()) {
            out.add(t.copy());
        }
        return out;
    }
}
