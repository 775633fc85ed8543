package dev.hyperkron.bilevel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.methods.ImplicitDifferentiation;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.ReverseUnrolling;
import dev.hyperkron.bilevel.tasks.RidgeRegression;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.optim.Sgd;
import dev.hyperkron.nn.optim.SgdSettings;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Hypergradient methods against closed forms: the quadratic problem and ridge regression (F64). */
class HypergradientClosedFormTest {

    private static double relativeError(Tensor expected, Tensor actual) {
        return expected.sub(actual.cast(DType.F64)).abs().max().item() / Math.max(1e-300, expected.abs().max().item());
    }

    private static Tensor hypergradient(ImplicitDifferentiation method, BilevelProblem p, Params theta, Params lambda) {
        Params h = method.hypergradient(p, theta, lambda, new Rng(0)).value();
        return h.values().get(0);
    }

    @Property(tries = 20)
    void aidWithExactSolverEqualsTheClosedFormOnTheQuadraticProblem(@ForAll long seed) {
        QuadraticProblem p = new QuadraticProblem(seed, 6, 3);
        Params lambda = p.initialOuter();
        Params theta = Params.single("theta", dev.hyperkron.autodiff.Var.leaf(p.exactTheta(lambda.get("lambda").value())));
        Tensor h = hypergradient(new ImplicitDifferentiation(IhvpMethods.exact(0)), p, theta, lambda);
        double error = relativeError(p.exactHypergradient(lambda.get("lambda").value()), h);
        assertTrue(error < 1e-8, "relative error " + error);
    }

    @Property(tries = 15)
    void aidWithExactSolverEqualsTheClosedFormOnRidgeRegression(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, DType.F64, 30, 5);
        Tensor w = Tensor.randn(rng, DType.F64, 5, 1);
        Tensor y = x.matmul(w).reshape(30).add(Tensor.randn(rng, DType.F64, 30).mul(0.5));
        Tensor xv = Tensor.randn(rng, DType.F64, 20, 5);
        Tensor yv = xv.matmul(w).reshape(20).add(Tensor.randn(rng, DType.F64, 20).mul(0.5));
        RidgeRegression ridge = new RidgeRegression(x, y, xv, yv, -1.0);
        Params lambda = ridge.initialOuter().withValues(java.util.List.of(Tensor.uniform(rng, DType.F64, -3, 1, 5)));
        Tensor logDecay = lambda.get(RidgeRegression.LOG_DECAY).value();
        Params theta = Params.single(RidgeRegression.WEIGHT, dev.hyperkron.autodiff.Var.leaf(ridge.exactSolution(logDecay)));
        Tensor h = hypergradient(new ImplicitDifferentiation(IhvpMethods.exact(0)), ridge, theta, lambda);
        double error = relativeError(ridge.exactHypergradient(logDecay), h);
        assertTrue(error < 1e-8, "relative error " + error);
    }

    @Test
    void aidWithConjugateGradientsApproachesTheClosedFormAsIterationsGrow() {
        QuadraticProblem p = new QuadraticProblem(7, 12, 4);
        Params lambda = p.initialOuter();
        Params theta = Params.single("theta", dev.hyperkron.autodiff.Var.leaf(p.exactTheta(lambda.get("lambda").value())));
        Tensor exact = p.exactHypergradient(lambda.get("lambda").value());
        double previous = Double.POSITIVE_INFINITY;
        for (int t : new int[] {1, 3, 6, 12}) {
            double error = relativeError(exact, hypergradient(new ImplicitDifferentiation(IhvpMethods.cg().iterations(t).damping(0)), p, theta, lambda));
            assertTrue(error < previous || error < 1e-9, "CG(" + t + ") error " + error + " after " + previous);
            previous = error;
        }
        assertTrue(previous < 1e-8, "CG(n) error " + previous);
    }

    @Test
    void unrollingManyStepsOfAStronglyConvexInnerProblemApproachesTheIftHypergradient() {
        QuadraticProblem p = new QuadraticProblem(3, 5, 2);
        Params lambda = p.initialOuter();
        Tensor exact = p.exactHypergradient(lambda.get("lambda").value());
        double previous = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {5, 50, 400}) {
            InnerLoop unrolled = new InnerLoop(p, new Sgd(SgdSettings.builder().learningRate(0.3).build()), steps);
            Params h = ReverseUnrolling.full().run(p, p.initialInner(new Rng(0)), lambda, unrolled, new Rng(0))
                    .hypergradient();
            double error = relativeError(exact, h.values().get(0));
            assertTrue(error < previous, steps + " unrolled steps: error " + error + " after " + previous);
            previous = error;
        }
        assertTrue(previous < 1e-6, "400 unrolled steps: error " + previous);
    }
}
