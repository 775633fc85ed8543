package dev.hyperkron.bilevel.methods;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.Rng;
import java.util.Optional;

/**
 * SAMA's curvature-free hypergradient (Choe, Mehta, Ahn, Neiswanger, Xie, Strubell, Xing 2023,
 * "Making Scalable Meta Learning Practical"): the inverse Hessian replaced by a multiple of the
 * identity, q = alpha df/dtheta, and the mixed second derivative by a central difference of
 * first derivatives along q, with a step adapted to q's size,
 * <pre>
 *   d/dlambda &lt;dg/dtheta, q&gt; ~= (dg/dlambda (theta + eps q) - dg/dlambda (theta - eps q)) / (2 eps),
 *   eps = r / ||q||,        dF/dlambda ~= df/dlambda - that difference.
 * </pre>
 * Only first derivatives and three gradient evaluations: no double backward and no retained
 * graph, which is what makes it the memory floor the paper's Figure 1 compares KFAC against.
 * With an adaptive inner optimizer, SAMA's "algorithmic adaptation" replaces the identity by the
 * optimizer's own per-coordinate scaling of a gradient: q = alpha df/dtheta / (sqrt(v-hat) + eps)
 * with Adam's second moments of the latest inner step (the derivative of Adam's update direction
 * with respect to the gradient, its moment estimates held fixed and constant factors left to
 * alpha); with SGD it stays the identity.
 */
public final class Sama implements HypergradientMethod {
    private final double alpha;
    private final double radius;

    /** alpha scales the identity IHVP (q = alpha v); radius r sets the difference step eps = r / ||q||. */
    public Sama(double alpha, double radius) {
        if (!(alpha > 0) || Double.isInfinite(alpha) || !(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("SAMA: alpha and the difference radius must be positive and finite, got "
                    + alpha + " and " + radius);
        }
        this.alpha = alpha;
        this.radius = radius;
    }

    @Override
    public String name() {
        return "SAMA";
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        long start = System.nanoTime();
        InnerLoop.Phase phase = inner.run(theta, lambda);
        long innerDone = System.nanoTime();
        Params at = phase.theta();
        Grad.Partials f = Grad.partials(problem.outer()::at, at, lambda);
        Params q = inner.adaptiveScaling(f.first()).scale(alpha);
        double size = q.norm();
        Params hypergradient = f.second();
        if (size > 0) {
            double eps = radius / size;
            InnerObjective g = problem.inner(Role.MIXED);
            Params plusPoint = at.axpy(eps, q);
            Params minusPoint = at.axpy(-eps, q);
            Params plus = Grad.grad(l -> g.at(plusPoint, l), lambda);
            Params minus = Grad.grad(l -> g.at(minusPoint, l), lambda);
            hypergradient = hypergradient.sub(plus.sub(minus).scale(1 / (2 * eps)));
        }
        long done = System.nanoTime();
        long held = 3 * at.numel() * at.dtype().byteSize();
        return new OuterStep(at, hypergradient, phase.lastLoss(), f.value(), (innerDone - start) * 1e-9,
                (done - innerDone) * 1e-9, held, Optional.empty());
    }
}
