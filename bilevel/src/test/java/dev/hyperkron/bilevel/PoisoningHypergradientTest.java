package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.tasks.DataPoisoning;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.models.Models;
import org.junit.jupiter.api.Test;

/**
 * The poisoning hypergradient on a small F64 instance (logistic regression on 12 examples, made
 * strongly convex by L2; three poison examples with learned features and soft labels): AID with
 * the exact inverse, and AID-CG run to convergence, match central finite differences of
 * F(lambda) = -L_val(theta*(lambda)) through tightly converged inner solves, in the features and
 * in the labels; AID-KFAC points the same way.
 */
class PoisoningHypergradientTest {
    private static final int N = 12;

    private static DataPoisoning problem() {
        Rng rng = new Rng(11);
        return DataPoisoning.builder(Models.logisticRegression(4, 3), HypercleaningHypergradientTest.randomSet(rng, N),
                HypercleaningHypergradientTest.randomSet(rng, 10), HypercleaningHypergradientTest.randomSet(rng, 10))
                .poisonCount(3).learnLabels(true).featureBox(-3, 3).weightDecay(0.3).dtype(DType.F64).seed(2).build();
    }

    /** Central differences of F along a random direction in (features, labels), eps 1e-4, inner solves to machine precision. */
    private static double finiteDifference(DataPoisoning p, Params theta, Params lambda, Params direction) {
        double eps = 1e-4;
        double plus = ConvergedInner.outerAtOptimum(p, theta, lambda.axpy(eps, direction), 0, 0);
        double minus = ConvergedInner.outerAtOptimum(p, theta, lambda.axpy(-eps, direction), 0, 0);
        return (plus - minus) / (2 * eps);
    }

    @Test
    void aidWithTheExactInverseAndWithConvergedCgMatchFiniteDifferencesInFeaturesAndLabels() {
        DataPoisoning p = problem();
        assertEquals(3, p.poisonCount());
        Rng rng = new Rng(4);
        Params lambda = p.initialOuter().mapValues(v -> v.add(Tensor.uniform(rng, DType.F64, -0.2, 0.2, v.shape().dims())));
        lambda = p.project(lambda);
        Params theta = ConvergedInner.solve(p, p.initialInner(new Rng(1)), lambda, 500, 0.5);
        Params direction = lambda.mapValues(v -> Tensor.randn(rng, DType.F64, v.shape().dims()));
        double numeric = finiteDifference(p, theta, lambda, direction);

        Params exact = new ImplicitDifferentiation(IhvpMethods.exact(0)).hypergradient(p, theta, lambda, new Rng(0)).value();
        double analytic = exact.dot(direction);
        assertTrue(Math.abs(numeric - analytic) <= 1e-6 * Math.max(1, Math.abs(numeric)),
                "directional derivative: AID-exact " + analytic + ", finite differences " + numeric);
        assertTrue(Math.abs(numeric) > 1e-4, "the direction should change the validation loss, got " + numeric);

        // 15 parameters: CG reaches the exact solution well within 60 iterations.
        Params cg = new ImplicitDifferentiation(IhvpMethods.cg().iterations(60).damping(0).tolerance(1e-10))
                .hypergradient(p, theta, lambda, new Rng(0)).value();
        assertTrue(Math.abs(numeric - cg.dot(direction)) <= 1e-6 * Math.max(1, Math.abs(numeric)),
                "directional derivative: AID-CG " + cg.dot(direction) + ", finite differences " + numeric);

        for (String name : lambda.names()) {
            Tensor kfac = new ImplicitDifferentiation(IhvpMethods.kfac().damping(0))
                    .hypergradient(p, theta, lambda, new Rng(0)).value().value(name);
            double cosine = exact.value(name).dot(kfac) / Math.sqrt(exact.value(name).dot(exact.value(name)) * kfac.dot(kfac));
            System.out.printf("AID-KFAC vs AID-exact poisoning hypergradient cosine (%s): %.4f%n", name, cosine);
            assertTrue(cosine > 0.5, name + ": cosine " + cosine);
        }
    }
}
