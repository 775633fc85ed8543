package dev.hyperkron.bilevel.tasks;

import dev.hyperkron.autodiff.NoGrad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.InnerObjective;
import dev.hyperkron.bilevel.Objective;
import dev.hyperkron.bilevel.Role;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.linalg.Linalg;
import dev.hyperkron.autodiff.Params;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ridge regression with one weight decay per feature, tuned in log space: the L2-tuning problem
 * whose solution and hypergradient are known in closed form (F64, full batches).
 * g(theta, lambda) = (1/n) ||X theta - y||^2 + sum_j exp(lambda_j) theta_j^2,
 * f(theta) = (1/m) ||X_val theta - y_val||^2.
 */
public final class RidgeRegression implements BilevelProblem {
    /** Name of the inner variable, the regression weights [d]. */
    public static final String WEIGHT = "weight";
    /** Name of the outer variable, the log weight decays [d]. */
    public static final String LOG_DECAY = "logDecay";

    private final Tensor x;
    private final Tensor y;
    private final Tensor xVal;
    private final Tensor yVal;
    private final double initialLogDecay;

    public RidgeRegression(Tensor x, Tensor y, Tensor xVal, Tensor yVal, double initialLogDecay) {
        if (x.rank() != 2 || xVal.rank() != 2 || x.dim(1) != xVal.dim(1) || y.size() != x.dim(0) || yVal.size() != xVal.dim(0)) {
            throw new IllegalArgumentException("ridge regression needs X [n, d], y [n], X_val [m, d], y_val [m]; got "
                    + x.shape() + ", " + y.shape() + ", " + xVal.shape() + ", " + yVal.shape());
        }
        this.x = x.cast(DType.F64);
        this.y = y.cast(DType.F64).reshape(-1, 1);
        this.xVal = xVal.cast(DType.F64);
        this.yVal = yVal.cast(DType.F64).reshape(-1, 1);
        this.initialLogDecay = initialLogDecay;
    }

    private int features() {
        return x.dim(1);
    }

    @Override
    public Params initialInner(Rng rng) {
        return Params.single(WEIGHT, Var.leaf(Tensor.zeros(DType.F64, features())));
    }

    @Override
    public Params initialOuter() {
        return Params.single(LOG_DECAY, Var.leaf(Tensor.full(DType.F64, initialLogDecay, features())));
    }

    @Override
    public InnerObjective inner(Role role) {
        return (theta, lambda) -> {
            Var w = theta.get(WEIGHT);
            Var residual = Var.constant(x).matmul(w.reshape(features(), 1)).sub(Var.constant(y));
            Var penalty = lambda.get(LOG_DECAY).exp().mul(w.square()).sum();
            return residual.square().mean().add(penalty);
        };
    }

    @Override
    public Objective outer() {
        return (theta, lambda) -> Var.constant(xVal).matmul(theta.get(WEIGHT).reshape(features(), 1))
                .sub(Var.constant(yVal)).square().mean();
    }

    @Override
    public Map<String, Double> metrics(Params theta, Params lambda) {
        try (NoGrad scope = NoGrad.enter()) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("validationMse", outer().at(theta, lambda).item());
            m.put("meanLogDecay", lambda.get(LOG_DECAY).value().mean().item());
            return m;
        }
    }

    /** theta*(lambda) = (X^T X / n + diag(e^lambda))^{-1} X^T y / n. */
    public Tensor exactSolution(Tensor logDecay) {
        return Linalg.spdSolve(halfHessian(logDecay), x.matmul(y, true, false).div(x.dim(0))).reshape(features());
    }

    /** dF/dlambda_j = -e^{lambda_j} theta*_j (H^{-1} grad f(theta*))_j with H = X^T X / n + diag(e^lambda). */
    public Tensor exactHypergradient(Tensor logDecay) {
        Tensor theta = exactSolution(logDecay).reshape(features(), 1);
        Tensor gradF = xVal.matmul(xVal.matmul(theta).sub(yVal), true, false).mul(2.0 / xVal.dim(0));
        Tensor solved = Linalg.spdSolve(halfHessian(logDecay), gradF).reshape(features());
        return logDecay.cast(DType.F64).exp().mul(theta.reshape(features())).mul(solved).neg();
    }

    private Tensor halfHessian(Tensor logDecay) {
        Tensor decay = logDecay.cast(DType.F64).exp();
        return x.matmul(x, true, false).div(x.dim(0)).add(Tensor.eye(DType.F64, features()).mul(decay.reshape(1, features())));
    }
}
