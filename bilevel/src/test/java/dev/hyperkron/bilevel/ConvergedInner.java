package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.kfac.ParamVector;
import dev.hyperkron.nn.Params;

/** theta*(lambda) to machine precision for small F64 problems: gradient descent, then Newton steps. */
final class ConvergedInner {
    private ConvergedInner() {
    }

    static Params solve(BilevelProblem p, Params start, Params lambda, int gradientSteps, double lr) {
        Params fixed = lambda.detached();
        Params theta = start;
        for (int i = 0; i < gradientSteps; i++) {
            theta = theta.withValues(ParamVector.of(theta).axpy(-lr, gradient(p, theta, fixed)).blocks());
        }
        for (int i = 0; i < 8; i++) {
            ParamVector g = gradient(p, theta, fixed);
            Tensor h = HessianOperator.ofFunction(theta, t -> p.inner(Role.INNER).at(t, fixed)).toDense();
            Tensor step = Linalg.solve(h, g.toFlat().reshape(g.size(), 1)).reshape(g.size());
            theta = theta.withValues(ParamVector.of(theta).sub(ParamVector.fromFlat(g, step)).blocks());
        }
        return theta;
    }

    /** F(lambda) = f(theta*(lambda), lambda), warm-started at {@code near}. */
    static double outerAtOptimum(BilevelProblem p, Params near, Params lambda, int gradientSteps, double lr) {
        Params theta = solve(p, near, lambda, gradientSteps, lr);
        return p.outer().at(theta.detached(), lambda.detached()).item();
    }

    private static ParamVector gradient(BilevelProblem p, Params theta, Params fixedLambda) {
        Params leaves = theta.asLeaves();
        return ParamVector.of(leaves, Grad.grad(p.inner(Role.INNER).at(leaves, fixedLambda), leaves.vars()));
    }
}
