package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.autodiff.Params;
import java.util.Map;

/**
 * g = 1/2 theta^T A theta - theta^T B lambda (A SPD), f = 1/2 ||theta - t||^2 + c/2 ||lambda||^2:
 * theta* = A^{-1} B lambda and dF/dlambda = B^T A^{-1} (theta* - t) + c lambda (MATH.md section 5).
 */
final class QuadraticProblem implements BilevelProblem {
    final Tensor a;
    final Tensor b;
    final Tensor target;
    final double c;
    private final Tensor lambda0;

    QuadraticProblem(long seed, int n, int m) {
        this(seed, n, m, false);
    }

    /** With {@code isotropic}, A = 2 I: the curvature an identity IHVP (scaled by 1/2) gets exactly right. */
    QuadraticProblem(long seed, int n, int m, boolean isotropic) {
        Rng rng = new Rng(seed);
        Tensor q = Tensor.randn(rng, DType.F64, n, n);
        this.a = isotropic ? Tensor.eye(DType.F64, n).mul(2)
                : q.matmul(q, true, false).div(n).add(Tensor.eye(DType.F64, n).mul(0.5));
        this.b = Tensor.randn(rng, DType.F64, n, m);
        this.target = Tensor.randn(rng, DType.F64, n);
        this.c = 0.3;
        this.lambda0 = Tensor.randn(rng, DType.F64, m);
    }

    @Override
    public Params initialInner(Rng rng) {
        return Params.single("theta", Var.leaf(Tensor.zeros(DType.F64, a.dim(0))));
    }

    @Override
    public Params initialOuter() {
        return Params.single("lambda", Var.leaf(lambda0));
    }

    @Override
    public InnerObjective inner(Role role) {
        return (theta, lambda) -> {
            Var t = theta.get("theta").reshape(-1, 1);
            Var quadratic = t.matmul(Var.constant(a), true, false).matmul(t).mul(0.5);
            Var coupling = t.matmul(Var.constant(b), true, false).matmul(lambda.get("lambda").reshape(-1, 1));
            return quadratic.sub(coupling).reshape();
        };
    }

    @Override
    public Objective outer() {
        return (theta, lambda) -> theta.get("theta").sub(Var.constant(target)).square().sum().mul(0.5)
                .add(lambda.get("lambda").square().sum().mul(c / 2));
    }

    Tensor exactTheta(Tensor lambda) {
        return Linalg.spdSolve(a, b.matmul(lambda.reshape(-1, 1))).reshape(a.dim(0));
    }

    Tensor exactHypergradient(Tensor lambda) {
        Tensor residual = exactTheta(lambda).sub(target).reshape(-1, 1);
        return b.matmul(Linalg.spdSolve(a, residual), true, false).reshape(b.dim(1)).add(lambda.mul(c));
    }

    /** The hyper-optimum: dF/dlambda = 0 is (B^T A^-2 B + c I) lambda = B^T A^-1 t. */
    Tensor optimalLambda() {
        Tensor aInvB = Linalg.spdSolve(a, b);
        Tensor system = aInvB.matmul(aInvB, true, false).add(Tensor.eye(DType.F64, b.dim(1)).mul(c));
        Tensor rhs = aInvB.matmul(target.reshape(-1, 1), true, false);
        return Linalg.spdSolve(system, rhs).reshape(b.dim(1));
    }

    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        return Map.of("outer", outer().at(theta.detached(), lambda.detached()).item());
    }
}
