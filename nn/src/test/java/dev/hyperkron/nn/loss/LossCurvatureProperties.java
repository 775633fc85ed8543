package dev.hyperkron.nn.loss;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * What curvature approximations take from a loss: Hessian factors S with S S^T equal to the
 * autodiff Hessian of l_n in the logits, and targets sampled from the predictive distribution,
 * whose score outer products average to that Hessian (the Monte-Carlo Fisher).
 */
class LossCurvatureProperties {

    private static List<Loss> losses() {
        return List.of(new CrossEntropyLoss(), new MseLoss(), new BceWithLogitsLoss(), new SoftCrossEntropyLoss());
    }

    private static Tensor row(Tensor t, int n) {
        return t.slice(0, n, n + 1);
    }

    @Property(tries = 40)
    void hessianFactorTimesItsTransposeIsTheHessianOfEachExamplesLoss(@ForAll @IntRange(min = 1, max = 3) int n,
                                                                      @ForAll @IntRange(min = 1, max = 6) int c,
                                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor z = normal(rng, n, c).mul(2);
        for (Loss loss : losses()) {
            Tensor targets = loss.sampleTargets(z, rng); // any valid targets: the Hessians do not depend on them
            Tensor s = loss.hessianFactor(z);
            assertEquals(3, s.rank(), loss + " factor rank");
            assertEquals(n, s.dim(0));
            assertEquals(c, s.dim(1));
            for (int i = 0; i < n; i++) {
                Tensor target = row(targets, i);
                Tensor hessian = Grad.hessian(v -> loss.perExample(v.reshape(1, c), target).sum(), z.slice(0, i, i + 1).reshape(c));
                Tensor si = row(s, i).reshape(c, s.dim(2));
                assertClose(loss + " example " + i, hessian, si.matmul(si, false, true), 1e-12);
            }
        }
    }

    @Test
    void hessianFactorsHaveTheLogitsDtype() {
        Tensor z = Tensor.zeros(DType.F32, 2, 3);
        for (Loss loss : losses()) {
            Tensor s = loss.hessianFactor(z);
            assertEquals(DType.F32, s.dtype(), loss.toString());
            assertEquals(Shape.of(2, 3, 3), s.shape(), loss.toString());
        }
    }

    // ------------------------------------------------------------------ sampling

    // Upper 0.1% points of the chi-square distribution with 3 and 9 degrees of freedom.
    private static final double CHI2_3 = 16.266;
    private static final double CHI2_9 = 27.877;

    @Test
    void crossEntropySamplesClassesWithTheSoftmaxProbabilities() {
        double[][] rows = {{0, 1, 2, -1}, {3, 0, 0, 0}, {-0.5, 0.5, -0.5, 0.5}};
        int repeats = 5000;
        Tensor z = Tensor.zeros(DType.F64, rows.length * repeats, 4);
        for (int r = 0; r < rows.length; r++) {
            for (int k = 0; k < repeats; k++) {
                for (int j = 0; j < 4; j++) {
                    z.storage().setDouble((r * repeats + k) * 4 + j, rows[r][j]);
                }
            }
        }
        Tensor labels = new CrossEntropyLoss().sampleTargets(z, new Rng(11));
        assertEquals(DType.I64, labels.dtype());
        assertEquals(Shape.of(rows.length * repeats), labels.shape());
        double chi2 = 0;
        for (int r = 0; r < rows.length; r++) {
            Tensor p = Tensor.of(rows[r]).softmax(0);
            int[] counts = new int[4];
            for (int k = 0; k < repeats; k++) {
                counts[(int) labels.getLong(r * repeats + k)]++;
            }
            for (int j = 0; j < 4; j++) {
                double expected = repeats * p.get(j);
                chi2 += (counts[j] - expected) * (counts[j] - expected) / expected;
            }
        }
        assertTrue(chi2 < CHI2_9, "chi-square " + chi2 + " with 9 degrees of freedom");
    }

    @Test
    void bceSamplesIndependentBernoullisWithTheSigmoidProbabilities() {
        double[] columns = {-2, 0, 1.5};
        int rows = 8000;
        Tensor z = Tensor.of(columns, 1, 3).expand(Shape.of(rows, 3)).copy();
        Tensor y = new BceWithLogitsLoss().sampleTargets(z, new Rng(12));
        assertEquals(DType.F64, y.dtype());
        assertEquals(z.shape(), y.shape());
        double chi2 = 0;
        for (int j = 0; j < 3; j++) {
            double p = 1 / (1 + Math.exp(-columns[j]));
            int ones = 0;
            for (int i = 0; i < rows; i++) {
                double v = y.get(i, j);
                assertTrue(v == 0 || v == 1, "a 0/1 draw, got " + v);
                ones += (int) v;
            }
            chi2 += (ones - rows * p) * (ones - rows * p) / (rows * p)
                    + (ones - rows * p) * (ones - rows * p) / (rows * (1 - p));
        }
        assertTrue(chi2 < CHI2_3, "chi-square " + chi2 + " with 3 degrees of freedom");
    }

    @Test
    void mseSamplesTheLogitsPlusNoiseOfVarianceOneHalf() {
        int n = 10_000;
        int c = 3;
        Tensor z = normal(new Rng(1), n, c).mul(5);
        Tensor y = new MseLoss().sampleTargets(z, new Rng(13));
        Tensor noise = y.sub(z);
        int m = n * c;
        double mean = noise.mean().item();
        double variance = noise.square().mean().item() - mean * mean;
        assertEquals(0, mean, 4 * Math.sqrt(0.5 / m), "mean of y - z");
        assertEquals(0.5, variance, 4 * 0.5 * Math.sqrt(2.0 / m), "variance of y - z");
    }

    @Test
    void samplingIsDeterministicForAFixedSeed() {
        Tensor z = normal(new Rng(2), 20, 3);
        for (Loss loss : losses()) {
            assertEquals(loss.sampleTargets(z, new Rng(5)), loss.sampleTargets(z, new Rng(5)), loss.toString());
        }
    }

    @Test
    void sampledTargetsAreValidTargetsOfEveryLoss() {
        Tensor z = normal(new Rng(3), 6, 4);
        for (Loss loss : losses()) {
            Tensor targets = loss.sampleTargets(z, new Rng(4));
            assertEquals(Shape.of(6), loss.perExample(Var.constant(z), targets).shape(), loss.toString());
        }
    }

    // ------------------------------------------------------------------ Monte-Carlo Fisher

    /** E over sampled targets of grad_z l grad_z l^T, from many copies of one logit row. */
    private static Tensor monteCarloFisher(Loss loss, Tensor z, int samples, Rng rng) {
        int c = z.dim(1);
        Tensor copies = z.expand(Shape.of(samples, c)).copy();
        Var logits = Var.leaf(copies);
        Tensor targets = loss.sampleTargets(copies, rng);
        Tensor scores = Grad.grad(loss.perExample(logits, targets).sum(), List.of(logits)).get(0).value();
        return scores.matmul(scores, true, false).div(samples);
    }

    @Test
    void scoreOuterProductsAverageToTheHessian() {
        Rng rng = new Rng(21); // fixed: the tolerance below is about 5 standard errors
        int samples = 40_000;
        for (int c = 2; c <= 4; c++) {
            checkMonteCarloFisher(normal(rng, 1, c), samples, rng);
        }
    }

    private static void checkMonteCarloFisher(Tensor z, int samples, Rng rng) {
        int c = z.dim(1);
        for (Loss loss : losses()) {
            Tensor hessian = Grad.hessian(v -> loss.perExample(v.reshape(1, c), loss.sampleTargets(z, new Rng(1))).sum(),
                    z.reshape(c));
            Tensor fisher = monteCarloFisher(loss, z, samples, rng);
            // scores are bounded by 1 for CE and BCE; for MSE they are N(0, 2): entries of size 2, errors about 0.015
            double scale = loss instanceof MseLoss ? 2 : 0.25;
            assertClose(loss.toString(), hessian.div(scale), fisher.div(scale), 0.05);
        }
    }
}
