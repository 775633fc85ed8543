package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.autodiff.Params;

/** theta*(lambda) to machine precision for small F64 problems: gradient descent, then Newton steps. */
final class ConvergedInner {
    private ConvergedInner() {
    }

    static Params solve(BilevelProblem p, Params start, Params lambda, int gradientSteps, double lr) {
        Params fixed = lambda.detached();
        Params theta = start;
        for (int i = 0; i < gradientSteps; i++) {
            theta = theta.axpy(-lr, gradient(p, theta, fixed)).asLeaves();
        }
        for (int i = 0; i < 8; i++) {
            Params g = gradient(p, theta, fixed);
            int n = (int) g.numel();
            Tensor h = HessianOperator.ofFunction(theta, t -> p.inner(Role.INNER).at(t, fixed)).toDense();
            Tensor step = Linalg.solve(h, g.flatten().reshape(n, 1)).reshape(n);
            theta = theta.sub(g.unflatten(step)).asLeaves();
        }
        return theta;
    }

    /** F(lambda) = f(theta*(lambda), lambda), warm-started at {@code near}. */
    static double outerAtOptimum(BilevelProblem p, Params near, Params lambda, int gradientSteps, double lr) {
        Params theta = solve(p, near, lambda, gradientSteps, lr);
        return p.outer().at(theta.detached(), lambda.detached()).item();
    }

    private static Params gradient(BilevelProblem p, Params theta, Params fixedLambda) {
        return Grad.grad(t -> p.inner(Role.INNER).at(t, fixedLambda), theta);
    }
}
