package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trajectories on quadratics whose closed forms are known, over many steps. */
class QuadraticTrajectoryTest {

    @Test
    void sgdOnHalfTheSquaredNormContractsByOneMinusTheLearningRateEachStep() {
        double lr = 0.15;
        Params x0 = OptimFixtures.randomParams(new Rng(11), DType.F64);
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(lr).build());
        Params x = x0;
        for (int t = 1; t <= 40; t++) {
            x = sgd.step(x, x); // the gradient of 0.5 ||x||^2 is x
            OptimFixtures.assertClose(scaled(x0, Math.pow(1 - lr, t)), x, 1e-12, 0, "step " + t);
        }
    }

    @Test
    void weightDecayAddsItsCoefficientToTheCurvature() {
        double lr = 0.1;
        double weightDecay = 0.5;
        Params x0 = OptimFixtures.randomParams(new Rng(12), DType.F64);
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(lr).weightDecay(weightDecay).build());
        Params x = x0;
        for (int t = 1; t <= 40; t++) {
            x = sgd.step(x, x);
            OptimFixtures.assertClose(scaled(x0, Math.pow(1 - lr * (1 + weightDecay), t)), x, 1e-12, 0, "step " + t);
        }
    }

    /**
     * Heavy ball on 0.5 sum h_i x_i^2: from x_1 = (1 - lr h) x_0 (the buffer starts as the
     * gradient), x_{t+1} = (1 - lr h + mu) x_t - mu x_{t-1}, so x_t = A z1^t + B z2^t with z1, z2
     * the roots of z^2 - (1 - lr h + mu) z + mu.
     */
    @Test
    void heavyBallFollowsTheClosedFormOfItsTwoTermRecurrence() {
        double lr = 0.5;
        double mu = 0.04;
        double[] curvature = {0.2, 0.6, 1.0};
        double[] start = {1.5, -0.7, 2.0};
        Tensor h = Tensor.of(curvature, 3);
        Params x = Params.leaves(List.of("x"), List.of(Tensor.of(start, 3)));
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(lr).momentum(mu).build());
        for (int t = 1; t <= 40; t++) {
            x = sgd.step(x, x.withValues(List.of(x.get("x").value().mul(h))));
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) {
                double c = 1 - lr * curvature[i] + mu;
                double root = Math.sqrt(c * c - 4 * mu);
                double z1 = (c + root) / 2;
                double z2 = (c - root) / 2;
                double x1 = (1 - lr * curvature[i]) * start[i];
                double a = (x1 - z2 * start[i]) / (z1 - z2);
                double b = start[i] - a;
                expected[i] = a * Math.pow(z1, t) + b * Math.pow(z2, t);
            }
            OptimFixtures.assertClose(List.of(expected), x, 1e-10, 1e-15, "step " + t);
        }
    }

    @Test
    void adamWithZeroBetasAndEpsIsSignDescent() {
        double lr = 0.1;
        double[] start = {1.05, -2.35, 0.75};
        Params x = Params.leaves(List.of("x"), List.of(Tensor.of(start, 3)));
        Adam adam = new Adam(AdamSettings.adam().learningRate(lr).betas(0, 0).eps(0).build());
        double[] expected = start.clone();
        for (int t = 1; t <= 7; t++) {
            x = adam.step(x, x);
            for (int i = 0; i < 3; i++) {
                expected[i] -= lr * Math.signum(expected[i]);
            }
            OptimFixtures.assertClose(List.of(expected), x, 1e-15, 0, "step " + t);
        }
    }

    @Test
    void adamsFirstStepMovesEveryCoordinateByTheLearningRateWhateverTheGradientScale() {
        double lr = 0.01;
        Tensor g = Tensor.of(new double[] {1e-3, -0.5, 7.0, -2e3}, 4);
        Params x = Params.leaves(List.of("x"), List.of(Tensor.zeros(DType.F64, 4)));
        Params moved = new Adam(AdamSettings.adam().learningRate(lr).eps(0).build()).step(x, x.withValues(List.of(g)));
        OptimFixtures.assertClose(List.of(new double[] {-lr, lr, -lr, lr}), moved, 1e-14, 0, "first step");
    }

    @Test
    void adamWShrinksParametersGeometricallyWhenGradientsVanish() {
        double lr = 0.1;
        double weightDecay = 0.3;
        Params x0 = OptimFixtures.randomParams(new Rng(13), DType.F64);
        Params zero = x0.withValues(zeros(x0));
        Adam adamW = new Adam(AdamSettings.adamW().learningRate(lr).weightDecay(weightDecay).build());
        Params x = x0;
        for (int t = 1; t <= 20; t++) {
            x = adamW.step(x, zero);
            OptimFixtures.assertClose(scaled(x0, Math.pow(1 - lr * weightDecay, t)), x, 1e-13, 0, "step " + t);
        }
        assertEquals(20.0, adamW.state().scalar("adam.step.fc1.weight"));
    }

    private static List<double[]> scaled(Params params, double factor) {
        List<double[]> out = OptimFixtures.toDoubles(params);
        for (double[] values : out) {
            for (int j = 0; j < values.length; j++) {
                values[j] *= factor;
            }
        }
        return out;
    }

    private static List<Tensor> zeros(Params params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : params.values()) {
            out.add(Tensor.zeros(t.dtype(), t.shape()));
        }
        return out;
    }
}
