package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertMaxScaledError;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The contract every {@link IhvpSolver} keeps, on each row of {@link SolverCases}, against exact
 * solutions by EJML: it solves random SPD systems of several sizes and conditionings (and says it
 * converged), and on symmetric indefinite systems it either solves them or says it cannot (a
 * report that did not converge, or an IllegalArgumentException naming the problem); it is never
 * silently wrong.
 */
class IhvpSolverContract {
    private static final double[] CONDITIONS = {1, 10, 1e2, 1e3, 1e4, 1e6};

    @Provide
    Arbitrary<SolverCases.Case> solvers() {
        return Arbitraries.of(SolverCases.ALL);
    }

    @Provide
    Arbitrary<Double> conditions() {
        return Arbitraries.of(CONDITIONS[0], CONDITIONS[1], CONDITIONS[2], CONDITIONS[3], CONDITIONS[4], CONDITIONS[5]);
    }

    @Property(tries = 150)
    void solvesRandomSpdSystems(@ForAll("solvers") SolverCases.Case c, @ForAll @IntRange(min = 1, max = 30) int n,
                                @ForAll("conditions") double condition, @ForAll long seed) {
        Assume.that(condition <= c.maxCondition());
        Rng rng = new Rng(seed);
        Tensor m = Systems.spd(rng, n, condition);
        double damping = rng.nextDouble() < 0.5 ? 0 : 1e-3;
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        IhvpSolver solver = c.factory().build(LinearOperator.dense(domain, m), damping, rng);
        IhvpSolver.Solution q = solver.solve(v);
        Tensor expected = Systems.solve(m.add(Tensor.eye(DType.F64, n).mul(damping)), v.flatten());
        assertTrue(q.report().converged(), () -> c.name() + " did not converge on an SPD system of condition "
                + condition + ": " + q.report());
        assertTrue(!q.report().negativeCurvature(), () -> c.name() + " met negative curvature on an SPD system: " + q.report());
        assertMaxScaledError(expected, q.value().flatten(), 1e-6);
    }

    @Property(tries = 120)
    void solvesOrSaysItCannotOnIndefiniteSystems(@ForAll("solvers") SolverCases.Case c,
                                                 @ForAll @IntRange(min = 2, max = 20) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Systems.indefinite(rng, n);
        Params domain = Systems.domain(n);
        Params v = Systems.randomVector(domain, rng);
        IhvpSolver.Solution q;
        try {
            q = c.factory().build(LinearOperator.dense(domain, m), 0, rng).solve(v);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("definite") || e.getMessage().contains("singular"),
                    () -> c.name() + " refused with an unclear message: " + e.getMessage());
            return;
        }
        Tensor expected = Systems.solve(m, v.flatten());
        if (q.report().converged()) {
            assertMaxScaledError(expected, q.value().flatten(), 1e-6);
        } else if (!Double.isFinite(q.value().norm())) {
            fail(c.name() + " returned a non-finite answer: " + q.report());
        }
    }

    @Property(tries = 30)
    void aRightHandSideOfAnotherLayoutIsRefusedNamingBothLayouts(@ForAll("solvers") SolverCases.Case c,
                                                                 @ForAll @IntRange(min = 1, max = 10) int n,
                                                                 @ForAll long seed) {
        Rng rng = new Rng(seed);
        Params domain = Systems.domain(n);
        IhvpSolver solver = c.factory().build(LinearOperator.dense(domain, Systems.spd(rng, n, 10)), 1e-3, rng);
        Params v = Systems.randomVector(Systems.domain(n + 1), rng);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> solver.solve(v), c.name());
        assertTrue(e.getMessage().contains(domain.layout()) && e.getMessage().contains(v.layout()),
                () -> c.name() + " refused with an unclear message: " + e.getMessage());
    }
}
