package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.SolveReport;
import java.util.Optional;

/**
 * Approximate implicit differentiation (AID, MATH.md section 1): after the inner phase,
 * v = df/dtheta, q ~= H^{-1} v by the chosen IHVP method, and
 * dF/dlambda = df/dlambda - d/dlambda &lt;dg/dtheta, q&gt;.
 */
public final class ImplicitDifferentiation implements HypergradientMethod {
    private final IhvpMethod ihvp;

    public ImplicitDifferentiation(IhvpMethod ihvp) {
        this.ihvp = ihvp;
    }

    @Override
    public String name() {
        return "AID-" + ihvp.name();
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        Hypergradient h = hypergradient(problem, phase.theta(), lambda, rng);
        long done = System.nanoTime();
        return new OuterStep(phase.theta(), h.value(), phase.lastLoss(), h.outerLoss(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, h.heldBytes(), Optional.of(h.solve()));
    }

    /**
     * The AID hypergradient at (theta, lambda) and what it cost to hold.
     *
     * @param heldBytes the IHVP solver's memory (operator, factors, retained graph, work vectors)
     *                  plus the vectors v, q and the hypergradient
     */
    public record Hypergradient(Params value, double outerLoss, long heldBytes, SolveReport solve) {
    }

    /** The hypergradient at a given theta, without an inner phase (for tests and analyses). */
    public Hypergradient hypergradient(BilevelProblem problem, Params theta, Params lambda, Rng rng) {
        // f and its partial derivatives v = df/dtheta and df/dlambda.
        Grad.Partials f = Grad.partials(problem.outer()::at, theta, lambda);
        // q ~= H^{-1} v, H the inner Hessian on a curvature batch.
        IhvpSolver solver = ihvp.build(theta, lambda, problem.inner(Role.CURVATURE), rng);
        IhvpSolver.Solution q = solver.solve(f.first());
        // dF/dlambda = df/dlambda - d/dlambda <dg/dtheta, q>, g on a mixed batch.
        Params mixed = Grad.mixed(problem.inner(Role.MIXED)::at, theta, lambda, q.value());
        Params hypergradient = f.second().sub(mixed);
        long vectorBytes = 2 * bytes(theta) + bytes(lambda);
        return new Hypergradient(hypergradient, f.value(), solver.storedBytes() + vectorBytes, q.report());
    }

    private static long bytes(Params p) {
        return p.numel() * p.dtype().byteSize();
    }
}
