package dev.hyperkron.bilevel.meta;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.IhvpSolver;

/**
 * iMAML's meta-gradient by the implicit function theorem: (I + H/lam)^{-1} v = lam (H + lam I)^{-1} v,
 * v = dL_query/dtheta at theta_T, H the support loss Hessian. The IHVP method solves against the
 * curvature of the proximal inner loss, which is H + lam I itself (KFAC adds lam to its damping),
 * so it is built with damping 0. This is AID with lambda = phi: the mixed term
 * -d/dphi &lt;dg/dtheta, q&gt; of the proximal loss is lam q in closed form, so no mixed derivative
 * is taken. CG on (H + lam I) runs the same iterates as CG on (I + H/lam), scaled by lam.
 */
public final class ImplicitMetaGradient implements MetaGradientMethod {
    private final IhvpMethod ihvp;

    /** iMAML with the given IHVP method (built with damping 0: the proximal term supplies lam I). */
    public ImplicitMetaGradient(IhvpMethod ihvp) {
        this.ihvp = ihvp;
    }

    @Override
    public String name() {
        return "iMAML-" + ihvp.name();
    }

    @Override
    public TaskGradient compute(MetaTask task, Params phi, Adaptation adaptation, Rng rng) {
        Params theta = adaptation.adapt(task, phi);
        Grad.ValueAndGrad query = Grad.valueAndGrad(task.query()::lossAt, theta);
        IhvpSolver solver = ihvp.build(theta, phi.detached(), adaptation.objective(task), rng);
        Params q = solver.solve(query.grad()).value();
        return new TaskGradient(q.scale(adaptation.lam()), theta, query.value());
    }
}
