package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.SolveReport;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Approximate implicit differentiation (AID, MATH.md section 1): after the inner phase,
 * v = df/dtheta, q ~= H^{-1} v by the chosen IHVP method, and
 * dF/dlambda = df/dlambda - d/dlambda &lt;dg/dtheta, q&gt;.
 *
 * <p>With {@link #refreshingEvery(int) amortized curvature} the IHVP solver is built every R
 * outer steps and reused in between: KFAC's factors and their inverse then cost 1/R of their
 * price, at the price of curvature up to R - 1 outer steps old. The cached solver is the
 * method's only state and is not checkpointed: a fresh or resumed run builds it at its first step.
 *
 * <p>With an IHVP method whose curvature comes from the inner steps ({@link KfacIhvp#factorsFromInnerSteps()}),
 * the inner phase of every step that builds a solver captures its forward passes into the factors,
 * and no curvature batch is drawn; steps that reuse a cached solver run the inner phase plainly.
 * Nothing of the capture outlives its outer step, so checkpoints are unchanged.
 */
public final class ImplicitDifferentiation implements HypergradientMethod {
    private final IhvpMethod ihvp;
    private final int refresh;
    private IhvpSolver cached;
    private int age;

    public ImplicitDifferentiation(IhvpMethod ihvp) {
        this(ihvp, 1);
    }

    private ImplicitDifferentiation(IhvpMethod ihvp, int refresh) {
        this.ihvp = ihvp;
        this.refresh = dev.hyperkron.core.Require.atLeast("curvature refresh interval", refresh, 1);
    }

    /** The same method with its IHVP solver built every {@code r} outer steps and reused in between. */
    public ImplicitDifferentiation refreshingEvery(int r) {
        return new ImplicitDifferentiation(ihvp, r);
    }

    @Override
    public String name() {
        return "AID-" + ihvp.name() + (refresh == 1 ? "" : "/" + refresh);
    }

    /** Forgets the cached solver: the next step builds one (the state itself is never saved). */
    @Override
    public void restoreState(Params state) {
        HypergradientMethod.super.restoreState(state);
        cached = null;
        age = 0;
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        Optional<InnerStepFactors> capture = solverDue() ? ihvp.innerStepCapture(theta, rng) : Optional.empty();
        InnerLoop.Phase phase = capture.isPresent() ? inner.run(theta, lambda, capture.get()) : inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        IhvpSolver solver = solver(() -> capture.isPresent() ? capture.get().solver()
                : ihvp.build(phase.theta(), lambda, problem.inner(Role.CURVATURE), rng));
        Hypergradient h = hypergradient(problem, phase.theta(), lambda, solver);
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

    /**
     * The hypergradient at a given theta, without an inner phase (for tests and analyses), its
     * solver built on a curvature batch (so not for factors from the inner steps).
     */
    public Hypergradient hypergradient(BilevelProblem problem, Params theta, Params lambda, Rng rng) {
        return hypergradient(problem, theta, lambda, solver(() -> ihvp.build(theta, lambda, problem.inner(Role.CURVATURE),
                rng)));
    }

    private Hypergradient hypergradient(BilevelProblem problem, Params theta, Params lambda, IhvpSolver solver) {
        // f and its partial derivatives v = df/dtheta and df/dlambda.
        Grad.Partials f = Grad.partials(problem.outer()::at, theta, lambda);
        // q ~= H^{-1} v, H the inner Hessian (on a curvature batch, or captured in the inner steps).
        IhvpSolver.Solution q = solver.solve(f.first());
        // dF/dlambda = df/dlambda - d/dlambda <dg/dtheta, q>, g on a mixed batch.
        Params mixed = Grad.mixed(problem.inner(Role.MIXED)::at, theta, lambda, q.value());
        Params hypergradient = f.second().sub(mixed);
        long vectorBytes = 2 * bytes(theta) + bytes(lambda);
        return new Hypergradient(hypergradient, f.value(), solver.storedBytes() + vectorBytes, q.report());
    }

    /** Whether this step builds a solver (always, or with amortized curvature when the cached one is old). */
    private boolean solverDue() {
        return refresh == 1 || cached == null || age >= refresh;
    }

    /** A fresh solver, or with amortized curvature the cached one while it is younger than the interval. */
    private IhvpSolver solver(Supplier<IhvpSolver> build) {
        if (refresh == 1) {
            return build.get();
        }
        if (solverDue()) {
            cached = build.get();
            age = 0;
        }
        age++;
        return cached;
    }

    private static long bytes(Params p) {
        return p.numel() * p.dtype().byteSize();
    }
}
