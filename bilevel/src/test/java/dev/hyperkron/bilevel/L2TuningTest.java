package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.tasks.L2Tuning;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.models.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** L2 tuning of a (convex) logistic regression: the outer variables follow the model's parameters, and AID-exact is the true hypergradient. */
class L2TuningTest {

    private static Dataset randomSet(Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 4);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = x.get(i, 0) + 0.5 * rng.nextGaussian() > 0 ? 1 : rng.nextInt(3);
        }
        return Dataset.of(x, Tensor.of(y, n), 3);
    }

    private static L2Tuning problem(L2Tuning.Granularity granularity) {
        Rng rng = new Rng(8);
        return new L2Tuning(Models.logisticRegression(4, 3), randomSet(rng, 30), randomSet(rng, 20),
                randomSet(rng, 20), granularity, -1.0, 0.01, 1000, DType.F64, 2);
    }

    @Test
    void decaysAreOnePerParameterTensorOrOnePerInputFeature() {
        Params perLayer = problem(L2Tuning.Granularity.PER_LAYER).initialOuter();
        assertEquals(List.of("logDecay.1.weight", "logDecay.1.bias"), perLayer.names());
        Params perFeature = problem(L2Tuning.Granularity.PER_FEATURE).initialOuter();
        assertEquals(4, perFeature.get(L2Tuning.LOG_DECAY).size());
    }

    @Test
    void exactAidMatchesFiniteDifferencesForBothGranularities() {
        for (L2Tuning.Granularity granularity : L2Tuning.Granularity.values()) {
            L2Tuning p = problem(granularity);
            Params lambda = p.initialOuter();
            Params theta = ConvergedInner.solve(p, p.initialInner(new Rng(3)), lambda, 600, 0.5);
            List<Tensor> h = new ImplicitDifferentiation(IhvpMethods.exact(0)).hypergradient(p, theta, lambda, new Rng(0))
                    .value().values();
            Rng rng = new Rng(4);
            List<Tensor> direction = lambda.values().stream().map(t -> Tensor.randn(rng, DType.F64, t.shape().dims())).toList();
            double eps = 1e-4;
            Params plus = shifted(lambda, direction, eps);
            Params minus = shifted(lambda, direction, -eps);
            double numeric = (ConvergedInner.outerAtOptimum(p, theta, plus, 0, 0)
                    - ConvergedInner.outerAtOptimum(p, theta, minus, 0, 0)) / (2 * eps);
            double analytic = 0;
            for (int i = 0; i < h.size(); i++) {
                analytic += h.get(i).dot(direction.get(i));
            }
            assertTrue(Math.abs(numeric - analytic) <= 1e-6 * Math.max(1, Math.abs(numeric)),
                    granularity + ": AID-exact " + analytic + ", finite differences " + numeric);
        }
    }

    private static Params shifted(Params lambda, List<Tensor> direction, double eps) {
        List<Tensor> values = new java.util.ArrayList<>();
        for (int i = 0; i < direction.size(); i++) {
            values.add(lambda.values().get(i).add(direction.get(i).mul(eps)));
        }
        return lambda.withValues(values);
    }
}
