package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ConjugateGradient;
import dev.hyperkron.kfac.IhvpSolver;
import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Approximate implicit differentiation (AID, MATH.md section 1): after the inner phase,
 * v = df/dtheta, q ~= H^{-1} v by the chosen IHVP method, and
 * dF/dlambda = df/dlambda - d/dlambda < dg/dtheta, q >.
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
        Params t = phase.theta();
        Hypergradient h = hypergradient(problem, t, lambda, rng);
        long done = System.nanoTime();
        return new OuterStep(t, h.value(), phase.lastLoss(), h.outerLoss(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, h.heldElements(), h.diagnostics());
    }

    /** The AID hypergradient at (theta, lambda) and what it cost to hold. */
    public record Hypergradient(ParamVector value, double outerLoss, long heldElements, Map<String, Double> diagnostics) {
    }

    /** The hypergradient at a given theta, without an inner phase (for tests and analyses). */
    public Hypergradient hypergradient(BilevelProblem problem, Params theta, Params lambda, Rng rng) {
        // 1. v = df/dtheta and the direct term df/dlambda.
        Params thetaLeaves = theta.asLeaves();
        Params lambdaLeaves = lambda.asLeaves();
        Var f = problem.outer().at(thetaLeaves, lambdaLeaves);
        List<Var> all = new ArrayList<>(thetaLeaves.vars());
        all.addAll(lambdaLeaves.vars());
        List<Var> grads = Grad.grad(List.of(f), all, null, false, false, true);
        int n = thetaLeaves.size();
        ParamVector v = ParamVector.of(thetaLeaves, grads.subList(0, n));
        ParamVector direct = ParamVector.of(lambdaLeaves, grads.subList(n, grads.size()));
        // 2. q ~= H^{-1} v on a curvature batch.
        IhvpSolver solver = ihvp.build(theta, lambda, problem.inner(Role.CURVATURE), rng);
        ParamVector q = solver.solve(v);
        // 3. the mixed term d/dlambda <dg/dtheta, q> on a mixed batch.
        Params thetaMixed = theta.asLeaves();
        Params lambdaMixed = lambda.asLeaves();
        Var g = problem.inner(Role.MIXED).at(thetaMixed, lambdaMixed);
        List<Var> mixed = Grad.mixedVjp(g, thetaMixed.vars(), lambdaMixed.vars(), q.asConstants());
        ParamVector hypergradient = direct.sub(ParamVector.of(lambdaMixed, mixed));
        Map<String, Double> diagnostics = solver instanceof ConjugateGradient cg && cg.lastReport() != null
                ? Map.of("cgRelativeResidual", cg.lastReport().relativeResidual()) : Map.of();
        long held = solver.storedElements() + 3L * v.size() + hypergradient.size();
        return new Hypergradient(hypergradient, f.item(), held, diagnostics);
    }
}
