package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.GradCheck;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SgdUpdate takes the same steps as Sgd, and reverse mode through several of its steps
 * gives the derivatives of the final parameters that finite differences of whole runs give.
 */
class SgdUpdateTest {
    private static final int STEPS = 5;

    static Stream<Named<SgdSettings>> settings() {
        return Stream.of(
                Named.of("plain", SgdSettings.builder().learningRate(0.3).build()),
                Named.of("momentum", SgdSettings.builder().learningRate(0.2).momentum(0.9).build()),
                Named.of("dampened momentum with weight decay", SgdSettings.builder().learningRate(0.2)
                        .momentum(0.7).dampening(0.25).weightDecay(0.05).build()),
                Named.of("Nesterov with weight decay", SgdSettings.builder().learningRate(0.2).momentum(0.8)
                        .nesterov(true).weightDecay(0.05).build()));
    }

    // Sgd steps in place (SgdUpdate.stepInPlace), the differentiable form with Var ops: the same numbers, bit for bit.
    @Property(tries = 60)
    void takesTheSameStepsAsSgdBitForBit(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int steps,
                                         @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(4) double momentum,
                                         @ForAll @DoubleRange(min = 0, max = 1) @Scale(4) double dampening,
                                         @ForAll boolean nesterov,
                                         @ForAll @DoubleRange(min = 0, max = 0.1) @Scale(4) double weightDecay,
                                         @ForAll boolean f32) {
        boolean useNesterov = nesterov && momentum > 0;
        SgdSettings s = SgdSettings.builder().learningRate(0.3).momentum(momentum)
                .dampening(useNesterov ? 0 : dampening).nesterov(useNesterov).weightDecay(weightDecay).build();
        Sgd sgd = new Sgd(s);
        SgdUpdate differentiable = new SgdUpdate(s);
        Rng rng = new Rng(seed);
        Params params = OptimFixtures.randomParams(rng, f32 ? DType.F32 : DType.F64);
        SgdUpdate.State state = SgdUpdate.State.start(params);
        for (int t = 1; t <= steps; t++) {
            Params grads = OptimFixtures.randomLike(rng, params);
            List<Tensor> paramsBefore = OptimFixtures.snapshot(params);
            List<Tensor> gradsBefore = OptimFixtures.snapshot(grads);
            Params old = params;
            params = sgd.step(params, grads);
            state = differentiable.step(state, grads);
            OptimFixtures.assertClose(OptimFixtures.toDoubles(params), state.params(), 0, 0, "step " + t);
            OptimFixtures.assertClose(OptimFixtures.toDoubles(state.momentum()),
                    Params.constants(state.momentum().names(), momentumBuffers(sgd, state.momentum().names())), 0, 0,
                    "momentum after step " + t);
            assertEquals(paramsBefore, old.values(), "the old parameters are only read");
            assertEquals(gradsBefore, grads.values(), "the gradients are only read");
        }
    }

    // A first recorded step with momentum and no weight decay keeps the gradients themselves as buffers.
    @Test
    void aPlainStepAfterARecordedOneLeavesTheRecordedMomentumBuffersAlone() {
        Sgd sgd = new Sgd(SgdSettings.builder().learningRate(0.2).momentum(0.9).build());
        Rng rng = new Rng(3);
        Params params = OptimFixtures.randomParams(rng, DType.F64);
        Params recordedGrads = OptimFixtures.randomLike(rng, params);
        List<Tensor> snapshot = OptimFixtures.snapshot(recordedGrads);
        params = sgd.unrolledStep(params, recordedGrads);
        sgd.detachState();
        params = sgd.step(params, OptimFixtures.randomLike(rng, params));
        sgd.step(params, OptimFixtures.randomLike(rng, params));
        assertEquals(snapshot, recordedGrads.values(), "tensors a graph may still hold are not updated in place");
    }

    private static List<Tensor> momentumBuffers(Sgd sgd, List<String> names) {
        OptimizerState st = sgd.state();
        return names.stream().map(n -> st.tensors().get("momentum." + n)).toList();
    }

    @Test
    void theNewParametersStayConnectedToTheOldParametersAndTheGradients() {
        double lr = 0.3;
        double weightDecay = 0.1;
        Var theta = Var.leaf(Tensor.of(new double[] {1, -2, 3}, 3));
        Var grad = Var.leaf(Tensor.of(new double[] {0.5, 0.5, -1}, 3));
        SgdUpdate sgd = new SgdUpdate(SgdSettings.builder().learningRate(lr).momentum(0.9)
                .weightDecay(weightDecay).build());
        Var next = sgd.step(SgdUpdate.State.start(Params.single("theta", theta)),
                Params.single("theta", grad)).params().get("theta");
        assertTrue(next.hasNode());
        // theta_1 = theta_0 - lr (g + wd theta_0): the buffer starts as the gradient.
        List<Var> d = Grad.grad(next.sum(), List.of(theta, grad));
        assertEquals(Tensor.full(DType.F64, 1 - lr * weightDecay, 3), d.get(0).value());
        assertEquals(Tensor.full(DType.F64, -lr, 3), d.get(1).value());
    }

    /**
     * theta_T as a function of (theta_0, per-feature log L2 strengths lambda, learning rate) for
     * logistic regression whose inner gradient is written out with Var ops, checked by GradCheck.
     */
    @ParameterizedTest
    @MethodSource("settings")
    void unrolledDerivativesMatchFiniteDifferences(SgdSettings s) {
        Rng rng = new Rng(21);
        Tensor x = Tensor.randn(rng, DType.F64, 6, 3);
        Tensor y = Tensor.rand(rng, DType.F64, 6, 1).gt(0.5);
        SgdUpdate sgd = new SgdUpdate(s);
        List<Tensor> inputs = List.of(Tensor.randn(rng, DType.F64, 3, 1), Tensor.randn(rng, DType.F64, 3, 1),
                Tensor.scalar(DType.F64, s.learningRate()));
        GradCheck.checkGradient(vars -> {
            Var theta0 = vars.get(0);
            Var logStrength = vars.get(1);
            Var lr = vars.get(2);
            SgdUpdate.State state = SgdUpdate.State.start(Params.single("theta", theta0));
            for (int t = 0; t < STEPS; t++) {
                Var theta = state.params().get("theta");
                Var residual = Var.constant(x).matmul(theta).sigmoid().sub(Var.constant(y));
                Var grad = Var.constant(x).matmul(residual, true, false).div(6).add(logStrength.exp().mul(theta));
                state = sgd.step(state, Params.single("theta", grad), lr);
            }
            return state.params().get("theta");
        }, inputs).assertPasses(1e-6);
    }

    /**
     * The inner gradients come from autodiff with createGraph, as in unrolled hypergradients; the
     * finite differences run the plain Sgd optimizer, an independent implementation of the step.
     */
    @ParameterizedTest
    @MethodSource("settings")
    void hypergradientsThroughAutodiffInnerGradientsMatchFiniteDifferencesOfSgdRuns(SgdSettings s) {
        Rng rng = new Rng(22);
        Tensor x = Tensor.randn(rng, DType.F64, 8, 3);
        Tensor y = Tensor.rand(rng, DType.F64, 8, 1).gt(0.5);
        Params start = Params.leaves(List.of("w", "b"),
                List.of(Tensor.randn(rng, DType.F64, 3, 1), Tensor.randn(rng, DType.F64, 1)));
        Tensor lambda = Tensor.randn(rng, DType.F64, 3, 1);
        Tensor probe = Tensor.randn(rng, DType.F64, 3, 1);

        Var lambdaVar = Var.leaf(lambda);
        Var lrVar = Var.leaf(Tensor.scalar(DType.F64, s.learningRate()));
        SgdUpdate sgd = new SgdUpdate(s);
        SgdUpdate.State state = SgdUpdate.State.start(start);
        for (int t = 0; t < STEPS; t++) {
            Params p = state.params();
            Params g = Grad.grad(innerLoss(p, lambdaVar, x, y), p, Grad.Options.DEFAULT.createGraph());
            state = sgd.step(state, g, lrVar);
        }
        Var outer = state.params().get("w").dot(Var.constant(probe)).add(state.params().get("b").sum());
        List<Var> inputs = new ArrayList<>(List.of(lambdaVar, lrVar));
        inputs.addAll(start.vars());
        List<Tensor> analytic = new ArrayList<>();
        for (Var g : Grad.grad(outer, inputs)) {
            analytic.add(g.value());
        }

        double h = 1e-6;
        for (int i = 0; i < lambda.size(); i++) {
            int coordinate = i;
            double numeric = (outerAfterSgdRun(s, start, perturbed(lambda, coordinate, h), s.learningRate(), x, y, probe)
                    - outerAfterSgdRun(s, start, perturbed(lambda, coordinate, -h), s.learningRate(), x, y, probe))
                    / (2 * h);
            assertNear(numeric, analytic.get(0).storage().getDouble(i), "d/dlambda[" + i + "]");
        }
        double numericLr = (outerAfterSgdRun(s, start, lambda, s.learningRate() + h, x, y, probe)
                - outerAfterSgdRun(s, start, lambda, s.learningRate() - h, x, y, probe)) / (2 * h);
        assertNear(numericLr, analytic.get(1).item(), "d/dlr");
        Tensor w0 = start.get("w").value();
        for (int i = 0; i < w0.size(); i++) {
            Params plus = start.withValues(List.of(perturbed(w0, i, h), start.get("b").value()));
            Params minus = start.withValues(List.of(perturbed(w0, i, -h), start.get("b").value()));
            double numeric = (outerAfterSgdRun(s, plus, lambda, s.learningRate(), x, y, probe)
                    - outerAfterSgdRun(s, minus, lambda, s.learningRate(), x, y, probe)) / (2 * h);
            assertNear(numeric, analytic.get(2).storage().getDouble(i), "d/dw0[" + i + "]");
        }
    }

    @Test
    void aOneElementLearningRateOfAnyRankKeepsEveryParametersShape() {
        SgdUpdate sgd = new SgdUpdate(SgdSettings.builder().build());
        Params params = OptimFixtures.randomParams(new Rng(23), DType.F64);
        Var lr = Var.leaf(Tensor.full(DType.F64, 0.1, 1, 1));
        Params next = sgd.step(SgdUpdate.State.start(params), params, lr).params();
        for (String name : params.names()) {
            assertEquals(params.get(name).shape(), next.get(name).shape(), name);
        }
        OptimFixtures.assertClose(OptimFixtures.toDoubles(params), next.mapNamed((n, v) -> v.div(0.9)), 1e-15, 0,
                "p - 0.1 p");
    }

    @Test
    void theParamsFormRefusesMomentumWhoseBuffersItCouldNotCarry() {
        SgdUpdate sgd = new SgdUpdate(SgdSettings.builder().momentum(0.9).build());
        Params p = Params.single("w", Var.leaf(Tensor.zeros(DType.F64, 2)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(p, p));
        assertTrue(e.getMessage().contains("use step(State, Params)"), e.getMessage());
    }

    @Test
    void rejectsMismatchedGradientsBuffersAndLearningRates() {
        SgdUpdate sgd = new SgdUpdate(SgdSettings.builder().momentum(0.9).build());
        Params p = Params.single("w", Var.leaf(Tensor.zeros(DType.F64, 2)));
        SgdUpdate.State start = SgdUpdate.State.start(p);
        assertMessage(() -> sgd.step(start, Params.single("v", Var.leaf(Tensor.zeros(DType.F64, 2)))),
                "no gradient for parameter 'w'");
        SgdUpdate.State wrongBuffer = new SgdUpdate.State(p,
                Params.single("w", Var.leaf(Tensor.zeros(DType.F64, 1))));
        assertMessage(() -> sgd.step(wrongBuffer, p), "momentum buffer of 'w' is F64 [1]");
        assertMessage(() -> sgd.step(start, p, Var.constant(Tensor.zeros(DType.F64, 2))),
                "learning rate must be a one-element Var, got shape [2]");
        assertMessage(() -> sgd.step(start, p, Var.scalar(DType.F32, 0.1)),
                "learning rate is F32 but parameter 'w' is F64");
    }

    private static Var innerLoss(Params p, Var logStrength, Tensor x, Tensor y) {
        Var w = p.get("w");
        Var logits = Var.constant(x).matmul(w).add(p.get("b"));
        Var dataLoss = logits.softplus().sub(logits.mul(Var.constant(y))).mean();
        return dataLoss.add(logStrength.exp().mul(w.square()).sum().mul(0.5));
    }

    private static double outerAfterSgdRun(SgdSettings s, Params start, Tensor lambda, double lr, Tensor x, Tensor y,
                                           Tensor probe) {
        Sgd sgd = new Sgd(s.withLearningRate(lr));
        Params p = start;
        for (int t = 0; t < STEPS; t++) {
            Params leaves = p.asLeaves();
            List<Var> g = Grad.grad(innerLoss(leaves, Var.constant(lambda), x, y), leaves.vars());
            p = sgd.step(leaves, leaves.withVars(g));
        }
        return p.get("w").value().dot(probe) + p.get("b").value().sum().item();
    }

    private static Tensor perturbed(Tensor t, int coordinate, double h) {
        Tensor out = t.copy();
        out.storage().setDouble(coordinate, out.storage().getDouble(coordinate) + h);
        return out;
    }

    private static void assertNear(double numeric, double analytic, String what) {
        assertTrue(Math.abs(numeric - analytic) <= 1e-6 * (1 + Math.abs(numeric)),
                what + ": autodiff " + analytic + ", finite differences " + numeric);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
