package dev.hyperkron.autodiff;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import java.util.function.Function;

/** One differentiable op under test: how to draw its inputs, and the function of them. */
record OpCase(String name, Function<Rng, List<Tensor>> inputs, Function<List<Var>, Var> f) {

    @Override
    public String toString() {
        return name;
    }

    /** Normal samples in F64. */
    static Tensor normal(Rng rng, int... dims) {
        return Tensor.randn(rng, DType.F64, dims);
    }

    /** Samples in [0.5, 2): safe for log, sqrt, reciprocal and fractional powers. */
    static Tensor positive(Rng rng, int... dims) {
        return Tensor.uniform(rng, DType.F64, 0.5, 2.0, dims);
    }

    /** Normal samples pushed at least 0.1 away from 0, so kinks at 0 are never straddled. */
    static Tensor awayFromZero(Rng rng, int... dims) {
        Tensor t = normal(rng, dims);
        return t.add(t.sign().mul(0.1));
    }

    /** A random shape of the given rank with dimensions in [1, 4]. */
    static int[] shape(Rng rng, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + rng.nextInt(4);
        }
        return d;
    }

    /** A shape that broadcasts to {@code full}: some dims set to 1, maybe fewer leading dims. */
    static int[] broadcastable(Rng rng, int[] full) {
        int drop = rng.nextInt(full.length + 1);
        int[] d = new int[full.length - drop];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextInt(3) == 0 ? 1 : full[i + drop];
        }
        return d;
    }
}
