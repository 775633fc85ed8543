package dev.hyperkron.bilevel.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.layers.Sequential;
import dev.hyperkron.nn.loss.MseLoss;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The meta-gradient methods against closed forms (F64): on linear regression tasks every loss is
 * quadratic, so the adapted parameters and the IFT meta-gradient are known exactly; MAML through
 * unrolling against central finite differences of the query loss through the inner steps.
 */
class MetaGradientClosedFormTest {
    private static final int CONVERGED_STEPS = 2000;

    private static double relativeError(DMatrixRMaj expected, Params actual) {
        double[] a = actual.flatten().cast(DType.F64).toDoubleArray();
        double worst = 0;
        double scale = 1e-300;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(expected.get(i, 0) - a[i]));
            scale = Math.max(scale, Math.abs(expected.get(i, 0)));
        }
        return worst / scale;
    }

    private static Adaptation converged(LinearRegressionTask t, double lam) {
        return new Adaptation(CONVERGED_STEPS, t.stableStep(lam), lam);
    }

    private static Params metaGradient(MetaGradientMethod method, LinearRegressionTask t, Adaptation adaptation) {
        return method.compute(t.task, t.phi, adaptation, new Rng(0)).gradient();
    }

    @Property(tries = 15)
    void adaptationConvergesToTheProximalMinimizer(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 5) double lam) {
        LinearRegressionTask t = new LinearRegressionTask(seed, 3, 2, 6, 5);
        Params theta = converged(t, lam).adapt(t.task, t.phi);
        double error = relativeError(t.adapted(lam), theta);
        assertTrue(error < 1e-9, "theta_T vs theta*: relative error " + error);
    }

    @Property(tries = 15)
    void imamlWithTheExactInverseEqualsTheIftMetaGradient(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 5) double lam) {
        LinearRegressionTask t = new LinearRegressionTask(seed, 3, 2, 6, 5);
        double error = relativeError(t.iftMetaGradient(lam), metaGradient(MetaGradientMethod.imamlExact(), t, converged(t, lam)));
        assertTrue(error < 1e-8, "relative error " + error);
    }

    @Property(tries = 15)
    void imamlCgWithAsManyIterationsAsParametersEqualsTheIftMetaGradient(@ForAll long seed,
                                                                         @ForAll @DoubleRange(min = 0.5, max = 5) double lam) {
        LinearRegressionTask t = new LinearRegressionTask(seed, 3, 2, 6, 5);
        double error = relativeError(t.iftMetaGradient(lam),
                metaGradient(MetaGradientMethod.imamlCg(t.dim()), t, converged(t, lam)));
        assertTrue(error < 1e-8, "relative error " + error);
    }

    /** KFAC (type-2, weight and bias jointly) is the exact Hessian of a linear model with MSE (MATH.md section 5). */
    @Property(tries = 15)
    void imamlKfacEqualsTheIftMetaGradientWhereKfacIsExact(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 5) double lam) {
        LinearRegressionTask t = new LinearRegressionTask(seed, 3, 2, 6, 5);
        double error = relativeError(t.iftMetaGradient(lam), metaGradient(MetaGradientMethod.imamlKfac(), t, converged(t, lam)));
        assertTrue(error < 1e-8, "relative error " + error);
    }

    /** Fewer support examples than inputs: the factor A is held as rows and inverted with its null space. */
    @Test
    void imamlKfacIsExactOnAFewShotSupportSetToo() {
        LinearRegressionTask t = new LinearRegressionTask(11, 6, 3, 2, 4);
        double error = relativeError(t.iftMetaGradient(0.5), metaGradient(MetaGradientMethod.imamlKfac(), t, converged(t, 0.5)));
        assertTrue(error < 1e-8, "relative error " + error);
    }

    @Test
    void cgApproachesTheExactMetaGradientAsIterationsGrow() {
        LinearRegressionTask t = new LinearRegressionTask(5, 4, 3, 8, 5);
        Adaptation adaptation = converged(t, 0.3);
        DMatrixRMaj exact = t.iftMetaGradient(0.3);
        double first = relativeError(exact, metaGradient(MetaGradientMethod.imamlCg(1), t, adaptation));
        double most = relativeError(exact, metaGradient(MetaGradientMethod.imamlCg(t.dim()), t, adaptation));
        assertTrue(first > 1e-3 && most < 1e-8, "CG(1) error " + first + ", CG(" + t.dim() + ") error " + most);
    }

    @Property(tries = 10)
    void firstOrderMamlIsTheQueryGradientAtTheAdaptedParameters(@ForAll long seed) {
        LinearRegressionTask t = new LinearRegressionTask(seed, 3, 2, 6, 5);
        Adaptation fewSteps = new Adaptation(3, t.stableStep(1.0), 1.0);
        MetaGradientMethod.TaskGradient g = MetaGradientMethod.firstOrder().compute(t.task, t.phi, fewSteps, new Rng(0));
        double error = relativeError(t.queryGradient(LinearRegressionTask.column(g.theta())), g.gradient());
        assertTrue(error < 1e-10, "relative error " + error);
    }

    @Test
    void unrolledMamlApproachesTheIftMetaGradientWhenTheInnerLoopConverges() {
        LinearRegressionTask t = new LinearRegressionTask(3, 3, 2, 6, 5);
        // 400 recorded steps (contraction 1 - lam / (tr H + lam) per step) keep the graph small
        Adaptation adaptation = new Adaptation(400, t.stableStep(1.0), 1.0);
        double error = relativeError(t.iftMetaGradient(1.0), metaGradient(MetaGradientMethod.unrolled(), t, adaptation));
        assertTrue(error < 1e-8, "relative error " + error);
    }

    /** d/dphi L_q(theta_T(phi)) through 4 steps of a tanh MLP, coordinate by coordinate against central differences. */
    @Property(tries = 5)
    void unrolledMamlMatchesFiniteDifferencesThroughTheInnerSteps(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Module model = new Sequential(new Linear(2, 4), Activation.tanh(), new Linear(4, 1));
        MetaTask task = new MetaTask(points(model, rng, 5), points(model, rng, 6), QueryMetric.LOSS);
        Params phi = model.init(rng, DType.F64);
        Adaptation adaptation = new Adaptation(4, 0.1, 0.7);
        Tensor analytic = MetaGradientMethod.unrolled().compute(task, phi, adaptation, rng).gradient().flatten();
        Tensor flat = phi.flatten();
        double h = 1e-5;
        double worst = 0;
        for (int i = 0; i < flat.size(); i++) {
            double plus = queryLossAfterAdaptation(task, adaptation, phi, flat, i, h);
            double minus = queryLossAfterAdaptation(task, adaptation, phi, flat, i, -h);
            worst = Math.max(worst, Math.abs((plus - minus) / (2 * h) - analytic.get(i)));
        }
        double scale = analytic.abs().max().item();
        assertTrue(worst < 1e-7 * Math.max(1, scale), "max abs error " + worst + " at gradient scale " + scale);
    }

    private static double queryLossAfterAdaptation(MetaTask task, Adaptation adaptation, Params phi, Tensor flat, int i,
                                                   double shift) {
        Tensor moved = flat.copy();
        moved.storage().setDouble(i, flat.get(i) + shift);
        return task.query().lossAt(adaptation.adapt(task, phi.unflatten(moved))).item();
    }

    private static LossBatch points(Module model, Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 2);
        return LossBatch.of(model, x, x.sum(1, true).tanh().add(Tensor.randn(rng, DType.F64, n, 1).mul(0.1)), new MseLoss());
    }

    @Test
    void theImplicitMethodsAreNamedForTheirSolver() {
        assertEquals("iMAML-CG(5)", MetaGradientMethod.imamlCg(5).name());
        assertEquals("iMAML-KFAC", MetaGradientMethod.imamlKfac().name());
        assertEquals("FOMAML", MetaGradientMethod.firstOrder().name());
        assertEquals("MAML", MetaGradientMethod.unrolled().name());
    }
}
