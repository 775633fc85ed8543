package dev.hyperkron.bilevel.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.KfacInverse;
import dev.hyperkron.kfac.SolveReport;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.MseLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.models.Models;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Influence functions on tiny F64 problems trained to a gradient norm of 1e-11: the exact
 * inverse predicts leave-one-out retraining to first order, with the right sign; CG run to
 * convergence equals it; KFAC and EKFAC equal it where they are exact (one linear layer, MSE).
 */
class InfluenceTest {
    private static final NewtonMinimizer TIGHT = NewtonMinimizer.toGradientNorm(1e-11);

    /** n examples with four standard-normal features and labels of three classes that depend on them, plus noise. */
    private static Tensor[] classification(Rng rng, int n) {
        Tensor x = Tensor.randn(rng, DType.F64, n, 4);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            double score = x.get(i, 0) - x.get(i, 1) + 0.8 * rng.nextGaussian();
            y[i] = score < -0.5 ? 0 : score < 0.5 ? 1 : 2;
        }
        return new Tensor[] {x, Tensor.of(y, n)};
    }

    private static TrainedModel trained(Module model, Tensor[] data, Loss loss, double weightDecay) {
        TrainedModel start = TrainedModel.of(model, data[0], data[1], loss, weightDecay, model.init(new Rng(3), DType.F64));
        NewtonMinimizer.Result r = TIGHT.minimize(t -> start.objective().at(t, Params.empty()), start.theta());
        assertTrue(r.converged(), "training stopped at gradient norm " + r.gradientNorm());
        return start.at(r.theta());
    }

    private static Query query(Rng rng) {
        Tensor[] q = classification(rng, 1);
        return new Query("test example", q[0], q[1]);
    }

    @Test
    void exactInfluencePredictsLeaveOneOutRetrainingOfLogisticRegressionToFirstOrder() {
        Rng rng = new Rng(11);
        int n = 200;
        TrainedModel m = trained(Models.logisticRegression(4, 3), classification(rng, n), new CrossEntropyLoss(), 0.05);
        Query q = query(rng);
        InfluenceScores exact = Influence.using(IhvpMethods.exact(0)).scores(m, q, new Rng(0));
        assertFirstOrder(m, q, exact, 0.999, 0.06);
    }

    @Test
    void exactInfluencePredictsLeaveOneOutRetrainingOfASmallMlpToFirstOrder() {
        Rng rng = new Rng(12);
        int n = 200;
        TrainedModel m = trained(Models.mlp(4, new int[] {4}, 3, Activation.tanh()), classification(rng, n),
                new CrossEntropyLoss(), 0.05);
        Query q = query(rng);
        InfluenceScores exact = Influence.using(IhvpMethods.exact(0)).scores(m, q, new Rng(0));
        assertFirstOrder(m, q, exact, 0.999, 0.06);
    }

    /**
     * Pearson's r between -I(z)/D and the measured change is at least {@code minPearson}, every
     * prediction is within {@code relative} times the largest measured change, and the sign is checked
     * where it is unmistakable: leaving out the top opponent lowers the query loss, leaving out
     * the top proponent raises it.
     */
    private static void assertFirstOrder(TrainedModel m, Query q, InfluenceScores scores, double minPearson,
                                         double relative) {
        LeaveOneOut loo = new LeaveOneOut(TIGHT);
        double[] predicted = new double[m.size()];
        double[] actual = new double[m.size()];
        for (int i = 0; i < m.size(); i++) {
            LeaveOneOut.Change c = loo.retrainWithout(m, q, i);
            assertTrue(c.retraining().converged(), "retraining without " + i + " stopped at " + c.retraining().gradientNorm());
            predicted[i] = scores.predictedRemovalChange(i);
            actual[i] = c.queryLossChange();
        }
        double r = Correlation.pearson(predicted, actual);
        assertTrue(r >= minPearson, String.format(Locale.ROOT, "Pearson %.5f, Spearman %.4f", r,
                Correlation.spearman(predicted, actual)));
        assertMaxRelativeError(actual, predicted, relative);
        int opponent = scores.opponents(1).get(0).position();
        int proponent = scores.proponents(1).get(0).position();
        assertTrue(actual[opponent] < 0 && actual[proponent] > 0, "removing the top opponent changes the loss by "
                + actual[opponent] + ", the top proponent by " + actual[proponent]);
    }

    @Test
    void conjugateGradientsRunToConvergenceGiveTheExactScores() {
        Rng rng = new Rng(13);
        TrainedModel m = trained(Models.mlp(4, new int[] {5}, 3, Activation.tanh()), classification(rng, 30),
                new CrossEntropyLoss(), 0.05);
        Query q = query(rng);
        double[] exact = Influence.using(IhvpMethods.exact(0)).scores(m, q, new Rng(0)).scores();
        int params = (int) m.theta().numel();
        double[] cg = Influence.using(IhvpMethods.cg().iterations(3 * params).damping(0).tolerance(1e-13))
                .scores(m, q, new Rng(0)).scores();
        assertMaxRelativeError(exact, cg, 1e-8);
    }

    @Test
    void kfacAndEkfacGiveTheExactScoresForOneLinearLayerWithMse() {
        Rng rng = new Rng(14);
        int n = 200;
        Tensor x = Tensor.randn(rng, DType.F64, n, 4);
        Tensor y = x.matmul(Tensor.randn(rng, DType.F64, 4, 2), false, false).add(Tensor.randn(rng, DType.F64, n, 2));
        TrainedModel m = trained(Models.logisticRegression(4, 2), new Tensor[] {x, y}, new MseLoss(), 0.1);
        Query q = new Query("test example", Tensor.randn(rng, DType.F64, 1, 4), Tensor.randn(rng, DType.F64, 1, 2));
        double[] exact = Influence.using(IhvpMethods.exact(0)).scores(m, q, new Rng(0)).scores();
        double[] kfac = Influence.using(IhvpMethods.kfac().damping(0).dampingStrategy(KfacInverse.Damping.EXACT))
                .scores(m, q, new Rng(0)).scores();
        double[] ekfac = Influence.using(IhvpMethods.ekfac().damping(0)).scores(m, q, new Rng(0)).scores();
        assertMaxRelativeError(exact, kfac, 1e-9);
        assertMaxRelativeError(exact, ekfac, 1e-9);
    }

    @Test
    void scoresAreMinusPerExampleGradientsDottedWithTheIhvpInAnyBatchSize() {
        Rng rng = new Rng(15);
        Tensor[] data = classification(rng, 11);
        Module model = Models.mlp(4, new int[] {3}, 3, Activation.tanh());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        TrainedModel m = TrainedModel.of(model, data[0], data[1], loss, 0.1, model.init(new Rng(4), DType.F64));
        Query q = query(rng);
        InfluenceScores batched = Influence.using(IhvpMethods.exact(0)).batchSize(4).scores(m, q, new Rng(0));
        InfluenceScores single = Influence.using(IhvpMethods.exact(0)).batchSize(1).scores(m, q, new Rng(0));
        Params s = IhvpMethods.exact(0).build(m.theta(), Params.empty(), m.objective(), new Rng(0))
                .solve(m.queryGradient(q)).value();
        double[] reference = new double[data[0].dim(0)];
        for (int i = 0; i < reference.length; i++) {
            Tensor xi = data[0].slice(0, i, i + 1);
            Tensor yi = data[1].slice(0, i, i + 1);
            Params gi = Grad.grad(t -> loss.apply(model.apply(t, Var.constant(xi), Context.eval()), yi,
                    Reduction.SUM), m.theta());
            reference[i] = -gi.dot(s);
        }
        assertMaxRelativeError(reference, batched.scores(), 1e-10);
        assertMaxRelativeError(reference, single.scores(), 1e-10);
        assertEquals(1.0 / 11, m.exampleShare(), 1e-15);
    }

    @Test
    void proponentsHaveTheMostNegativeScoresAndOpponentsTheMostPositive() {
        InfluenceScores s = new InfluenceScores("exact", new double[] {0.5, -2, 3, -0.1, 1}, 0.2,
                SolveReport.closedForm("exact"), 0, 0);
        assertEquals(List.of(1, 3), s.proponents(2).stream().map(InfluenceScores.Ranked::position).toList());
        assertEquals(List.of(2, 4), s.opponents(2).stream().map(InfluenceScores.Ranked::position).toList());
        assertEquals(-0.6, s.predictedRemovalChange(2), 1e-15);
    }

    /** max_i |expected_i - actual_i| &lt;= tol * max_i |expected_i|. */
    private static void assertMaxRelativeError(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        double scale = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tol * scale, "largest difference " + worst + " against a largest score of " + scale
                + "\nexpected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
    }
}
