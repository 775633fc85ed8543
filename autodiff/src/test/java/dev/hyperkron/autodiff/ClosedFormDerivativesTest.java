package dev.hyperkron.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Derivatives whose values are known in closed form. */
class ClosedFormDerivativesTest {

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape());
        assertTrue(actual.allClose(expected, tol, tol), () -> "expected " + expected + " but got " + actual);
    }

    @Property(tries = 30)
    void hessianOfQuadraticFormIsTheSymmetricMatrix(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor m = Tensor.randn(rng, DType.F64, n, n);
        Tensor a = m.add(m.t()); // f(x) = x^T A x / 2 has Hessian A for symmetric A
        Tensor x = Tensor.randn(rng, DType.F64, n, 1);
        Tensor hess = Grad.hessian(v -> v.matmul(Var.constant(a), true, false).matmul(v).mul(0.5).sum(), x);
        assertClose(a, hess, 1e-12);
    }

    @Property(tries = 20)
    void logisticRegressionHessianIsXtDiagP1mPXOverN(@ForAll @IntRange(min = 1, max = 12) int samples,
                                                     @ForAll @IntRange(min = 1, max = 5) int features,
                                                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, DType.F64, samples, features);
        Tensor y = Tensor.rand(rng, DType.F64, samples, 1).gt(0.5);
        Tensor w = Tensor.randn(rng, DType.F64, features, 1);
        // mean BCE with logits z = X w: softplus(z) - y z
        Tensor hess = Grad.hessian(v -> {
            Var z = Var.constant(x).matmul(v);
            return z.softplus().sub(z.mul(Var.constant(y))).mean();
        }, w);
        Tensor p = x.matmul(w).sigmoid();
        Tensor weights = p.mul(p.neg().add(1.0)); // p (1 - p), [N, 1]
        Tensor expected = x.matmul(x.mul(weights), true, false).div(samples);
        assertClose(expected, hess, 1e-12);
    }

    @Property(tries = 30)
    void softmaxCrossEntropyHessianWrtLogitsIsDiagPMinusPPt(@ForAll @IntRange(min = 2, max = 8) int classes,
                                                           @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor z = Tensor.randn(rng, DType.F64, classes);
        int label = rng.nextInt(classes);
        Tensor target = Tensor.oneHot(Tensor.of(new long[] {label}), classes, DType.F64).reshape(classes);
        Tensor hess = Grad.hessian(v -> v.logSoftmax(0).mul(Var.constant(target)).sum().neg(), z);
        Tensor p = z.softmax(0).reshape(classes, 1);
        Tensor expected = Tensor.eye(DType.F64, classes).mul(p).sub(p.matmul(p, false, true));
        assertClose(expected, hess, 1e-12);
    }

    @Property(tries = 30)
    void mixedDerivativeOfWeightedLossIsPerExampleGradientDotQ(@ForAll @IntRange(min = 1, max = 10) int samples,
                                                                @ForAll long seed) {
        // g(theta, w) = (1/B) sum_i w_i l_i(theta): d/dw_i <dg/dtheta, q> = (1/B) <dl_i/dtheta, q>
        Rng rng = new Rng(seed);
        int features = 3;
        Tensor x = Tensor.randn(rng, DType.F64, samples, features);
        Tensor y = Tensor.randn(rng, DType.F64, samples, 1);
        Params theta = Params.constants(List.of("theta"), List.of(Tensor.randn(rng, DType.F64, features, 1)));
        Params w = Params.constants(List.of("w"), List.of(Tensor.rand(rng, DType.F64, samples, 1)));
        Tensor q = Tensor.randn(rng, DType.F64, features, 1);
        // l_i = r_i^2 / 2 with r = x theta - y
        Tensor mixed = Grad.mixed((t, l) -> Var.constant(x).matmul(t.get("theta")).sub(Var.constant(y)).square().mul(0.5)
                .mul(l.get("w")).mean(), theta, w, Params.constants(List.of("theta"), List.of(q))).value("w");
        // dl_i/dtheta = r_i x_i, so <dl_i/dtheta, q> = r_i (x_i . q)
        Tensor residual = x.matmul(theta.value("theta")).sub(y);
        Tensor expected = residual.mul(x.matmul(q)).div(samples);
        assertClose(expected, mixed, 1e-12);
    }

    @Test
    void jacobianOfMatrixVectorProductIsTheMatrix() {
        Tensor a = Tensor.randn(new Rng(7), DType.F64, 4, 3);
        Tensor jac = Grad.jacobian(v -> Var.constant(a).matmul(v.reshape(3, 1)).reshape(4), Tensor.randn(new Rng(8), DType.F64, 3));
        assertClose(a, jac, 1e-14);
    }

    @Test
    void jvpByDoubleVjpEqualsJacobianTimesTangent() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, DType.F64, 5);
        Tensor v = Tensor.randn(rng, DType.F64, 5);
        Tensor jv = Grad.jvp(p -> p.get("x").tanh().mul(p.get("x").sum()).exp(), Params.constants(List.of("x"), List.of(x)),
                Params.constants(List.of("x"), List.of(v)));
        Tensor jac = Grad.jacobian(u -> u.tanh().mul(u.sum()).exp(), x);
        assertClose(jac.matmul(v.reshape(5, 1)).reshape(5), jv, 1e-12);
    }

    @Test
    void castGradientIsCastBack() {
        Var x = Var.leaf(Tensor.of(new double[] {1.5, -2.0, 3.25}));
        Var y = x.cast(DType.F32).square().sum();
        Var g = Grad.grad(List.of(y), List.of(x), Grad.Options.DEFAULT.createGraph()).get(0);
        assertEquals(DType.F64, g.dtype());
        assertClose(Tensor.of(new double[] {3.0, -4.0, 6.5}), g.value(), 1e-6);
        Tensor hv = Grad.grad(g.sum(), List.of(x)).get(0).value();
        assertClose(Tensor.full(DType.F64, 2.0, 3), hv, 1e-6);
    }
}
