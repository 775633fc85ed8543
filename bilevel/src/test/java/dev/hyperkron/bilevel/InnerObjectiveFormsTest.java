package dev.hyperkron.bilevel;

import static dev.hyperkron.bilevel.HypercleaningHypergradientTest.randomSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.tasks.L2Tuning;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * For every shipped task, the inner loss and the form curvature solvers see agree: the loss equals
 * the loss batch's loss plus the regularizer, with the same gradient, and the regularizer's
 * curvature is what the solvers add to their damping (exact for uniform L2, the mean of the
 * diagonal for per-feature decay).
 */
class InnerObjectiveFormsTest {

    private static List<BilevelProblem> tasks(long seed) {
        Rng rng = new Rng(seed);
        Dataset train = randomSet(rng, 12);
        DataHypercleaning cleaning = DataHypercleaning.builder(Models.mlp(4, new int[] {5}, 3, Activation.tanh()), train,
                Tensor.zeros(DType.U8, 12), randomSet(rng, 8), randomSet(rng, 8)).dtype(DType.F64).weightDecay(0.3)
                .trainBatch(5).seed(seed).build();
        return List.of(cleaning,
                new L2Tuning(Models.logisticRegression(4, 3), randomSet(rng, 10), randomSet(rng, 6), randomSet(rng, 6),
                        L2Tuning.Granularity.PER_FEATURE, -1.0, 0.1, 4, DType.F64, seed),
                new L2Tuning(Models.mlp(4, new int[] {5}, 3, Activation.tanh()), randomSet(rng, 10), randomSet(rng, 6),
                        randomSet(rng, 6), L2Tuning.Granularity.PER_LAYER, -2.0, 0.0, 4, DType.F64, seed));
    }

    @Property(tries = 15)
    void theLossAndTheLossBatchPlusRegularizerAgreeInValueAndGradient(@ForAll long seed) {
        for (BilevelProblem task : tasks(seed)) {
            Rng rng = new Rng(seed);
            Params theta = task.initialInner(rng);
            Params lambda = task.initialOuter().mapValues(t -> t.add(Tensor.rand(rng, t.dtype(), t.shape().dims())));
            SupervisedLoss g = (SupervisedLoss) task.inner(Role.CURVATURE);
            LossBatch batch = g.asLossBatch(lambda).orElseThrow();
            Var whole = g.at(theta, lambda);
            Var split = batch.lossAt(theta).add(g.regularizerAt(theta, lambda));
            assertEquals(whole.item(), split.item(), 1e-12 * Math.max(1, Math.abs(whole.item())), task.getClass().getName());
            Params gradWhole = Grad.grad(t -> g.at(t, lambda), theta);
            Params gradSplit = Grad.grad(t -> batch.lossAt(t).add(g.regularizerAt(t, lambda)), theta);
            assertTrue(gradWhole.flatten().allClose(gradSplit.flatten(), 1e-12, 1e-12), task.getClass().getName());
        }
    }

    @Property(tries = 10)
    void theRegularizerCurvatureIsTheMeanOfItsHessianDiagonal(@ForAll long seed) {
        for (BilevelProblem task : tasks(seed)) {
            Rng rng = new Rng(seed);
            Params theta = task.initialInner(rng);
            Params lambda = task.initialOuter();
            SupervisedLoss g = (SupervisedLoss) task.inner(Role.CURVATURE);
            Tensor hessian = dev.hyperkron.kfac.HessianOperator.ofFunction(theta, t -> g.regularizerAt(t, lambda)).toDense();
            int n = hessian.dim(0);
            double meanDiagonal = hessian.mul(Tensor.eye(DType.F64, n)).sum().item() / n;
            assertEquals(meanDiagonal, g.regularizerCurvature(lambda), 1e-12, task.getClass().getName());
            if (task instanceof DataHypercleaning) { // uniform L2: the curvature is exactly c I
                assertTrue(hessian.allClose(Tensor.eye(DType.F64, n).mul(0.3), 1e-12, 1e-12));
            }
        }
    }
}
