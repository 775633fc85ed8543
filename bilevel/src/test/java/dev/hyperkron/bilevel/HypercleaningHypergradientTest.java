package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a small MLP hypercleaning instance (F64, full batches): AID with the exact solver matches a
 * finite-difference estimate of dF/dlambda through fully converged inner solves, and AID-KFAC
 * points the same way.
 */
class HypercleaningHypergradientTest {
    private static final int N = 14;

    /** F64 examples with four standard-normal features and uniform labels of three classes. */
    static Dataset randomSet(Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 4);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Dataset.of(x, Tensor.of(y, n), 3);
    }

    private static DataHypercleaning problem() {
        Rng rng = new Rng(5);
        Dataset train = randomSet(rng, N);
        Tensor corrupted = Tensor.zeros(DType.U8, N);
        return DataHypercleaning.builder(Models.mlp(4, new int[] {5}, 3, Activation.tanh()), train, corrupted,
                randomSet(rng, 10), randomSet(rng, 10)).dtype(DType.F64).weightDecay(0.3).seed(1).build();
    }

    @Test
    void exactAidMatchesFiniteDifferencesThroughConvergedInnerSolvesAndKfacAgrees() {
        DataHypercleaning p = problem();
        Rng rng = new Rng(9);
        Params lambda = p.initialOuter().withValues(List.of(Tensor.uniform(rng, DType.F64, 0.3, 0.8, N)));
        Params theta = ConvergedInner.solve(p, p.initialInner(new Rng(2)), lambda, 800, 0.5);

        Tensor exact = new ImplicitDifferentiation(IhvpMethods.exact(0)).hypergradient(p, theta, lambda, new Rng(0))
                .value().value(DataHypercleaning.WEIGHTS);
        Tensor direction = Tensor.randn(rng, DType.F64, N);
        double eps = 1e-4;
        Params plus = lambda.withValues(List.of(lambda.values().get(0).add(direction.mul(eps))));
        Params minus = lambda.withValues(List.of(lambda.values().get(0).sub(direction.mul(eps))));
        double numeric = (ConvergedInner.outerAtOptimum(p, theta, plus, 0, 0)
                - ConvergedInner.outerAtOptimum(p, theta, minus, 0, 0)) / (2 * eps);
        double analytic = exact.dot(direction);
        assertTrue(Math.abs(numeric - analytic) <= 1e-6 * Math.max(1, Math.abs(numeric)),
                "directional derivative: AID-exact " + analytic + ", finite differences " + numeric);

        Tensor kfac = new ImplicitDifferentiation(IhvpMethods.kfac())
                .hypergradient(p, theta, lambda, new Rng(0)).value().value(DataHypercleaning.WEIGHTS);
        double cosine = exact.dot(kfac) / Math.sqrt(exact.dot(exact) * kfac.dot(kfac));
        System.out.printf("AID-KFAC vs AID-exact hypergradient cosine on the small MLP instance: %.4f%n", cosine);
        assertTrue(cosine > 0.5, "cosine " + cosine);
    }
}
