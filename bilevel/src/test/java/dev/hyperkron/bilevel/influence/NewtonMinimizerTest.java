package dev.hyperkron.bilevel.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Newton-CG reaches known minima: a quadratic's closed form, and Rosenbrock's from a point of negative curvature. */
class NewtonMinimizerTest {

    private static Params point(double x, double y) {
        return Params.leaves(List.of("x", "y"), List.of(Tensor.of(new double[] {x}, 1), Tensor.of(new double[] {y}, 1)));
    }

    @Test
    void aStronglyConvexQuadraticReachesItsClosedFormMinimumInAFewInexactSteps() {
        // f = (x - 1)^2 + 3 (y + 2)^2 + x y, minimum where 2(x - 1) + y = 0 and 6(y + 2) + x = 0
        Function<Params, Var> f = p -> {
            Var x = p.get("x");
            Var y = p.get("y");
            return x.sub(1).square().add(y.add(2).square().mul(3)).add(x.mul(y)).sum();
        };
        NewtonMinimizer.Result r = NewtonMinimizer.toGradientNorm(1e-12).minimize(f, point(5, 5));
        assertTrue(r.converged());
        assertTrue(r.steps() <= 5, r.steps() + " steps");
        assertEquals(24.0 / 11, r.theta().value("x").item(), 1e-12);
        assertEquals(-26.0 / 11, r.theta().value("y").item(), 1e-12);
    }

    @Test
    void rosenbrocksValleyIsFollowedToItsMinimumFromWhereTheHessianIsIndefinite() {
        Function<Params, Var> rosenbrock = p -> {
            Var x = p.get("x");
            Var y = p.get("y");
            return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
        };
        // the Hessian at (0, 0.5) is diag(2 - 400 (y - 3 x^2), 200) = diag(-198, 200): indefinite
        NewtonMinimizer.Result r = NewtonMinimizer.toGradientNorm(1e-10).minimize(rosenbrock, point(0, 0.5));
        assertTrue(r.converged(), "stopped at gradient norm " + r.gradientNorm());
        assertEquals(1, r.theta().value("x").item(), 1e-8);
        assertEquals(1, r.theta().value("y").item(), 1e-8);
    }

    @Test
    void aStepCapEndsUnconvergedAndBadSettingsAreRefused() {
        Function<Params, Var> rosenbrock = p -> p.get("x").neg().add(1).square()
                .add(p.get("y").sub(p.get("x").square()).square().mul(100)).sum();
        NewtonMinimizer.Result r = NewtonMinimizer.toGradientNorm(1e-10).maxSteps(1).minimize(rosenbrock, point(-1.2, 1));
        assertFalse(r.converged());
        assertEquals(1, r.steps());
        assertThrows(IllegalArgumentException.class, () -> NewtonMinimizer.toGradientNorm(0));
        assertThrows(IllegalArgumentException.class, () -> NewtonMinimizer.toGradientNorm(1e-8).cgIterations(0));
        assertEquals(DType.F64, r.theta().dtype());
    }
}
