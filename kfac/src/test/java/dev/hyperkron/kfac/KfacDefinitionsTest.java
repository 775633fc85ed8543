package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertAllClose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** KFAC factors against their definitions, computed by explicit per-example loops outside the capture machinery. */
class KfacDefinitionsTest {


    @Property(tries = 15)
    void singleExampleKfacBlockEqualsGgnBlockOfEveryLayer(@ForAll long seed) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(seed, 1, 1);
        Tensor ggn = GgnOperator.of(p.params(), p.batches()).toDense();
        Tensor kfac = KfacOperator.builder(p.params()).build(p.batches()).toDense();
        // layout: 0.weight (20), 0.bias (5), 2.weight (15), 2.bias (3)
        assertAllClose(Fixtures.block(ggn, 0, 25), Fixtures.block(kfac, 0, 25), 1e-10);
        assertAllClose(Fixtures.block(ggn, 25, 43), Fixtures.block(kfac, 25, 43), 1e-10);
    }

    @Property(tries = 15)
    void weightedCrossEntropyFactorsBackpropagateSqrtWeightedHessianColumns(@ForAll @IntRange(min = 1, max = 6) int n,
                                                                             @ForAll long seed) {
        Rng rng = new Rng(seed);
        Fixtures.Problem base = Fixtures.mlpCrossEntropy(seed, n, 1);
        LossBatch plain = base.batches().get(0);
        Tensor w = Tensor.rand(rng, DType.F64, n);
        LossBatch weighted = new LossBatch(plain.model(), plain.inputs(), plain.targets(), w, plain.loss(), Reduction.MEAN);
        KroneckerFactors last = KfacOperator.builder(base.params()).build(List.of(weighted)).factors().get(1);

        // Definition for the output layer z = W h + b: g_nc = sqrt(w_n) S_n[:, c], a_n = [h_n; 1].
        Var h = plain.model().apply(base.params(), Var.constant(plain.inputs()), dev.hyperkron.nn.Context.eval());
        Tensor hidden = Var.constant(plain.inputs()).matmul(base.params().get("0.weight"), false, true)
                .add(base.params().get("0.bias")).tanh().value();
        Tensor s = new CrossEntropyLoss().hessianFactor(h.value());
        Tensor g = Tensor.zeros(DType.F64, 3, 3);
        Tensor a = Tensor.zeros(DType.F64, 6, 6);
        for (int i = 0; i < n; i++) {
            Tensor ai = Tensor.concat(0, hidden.slice(0, i, i + 1).reshape(5), Tensor.ones(DType.F64, 1)).reshape(6, 1);
            a = a.add(ai.matmul(ai, false, true));
            Tensor si = s.slice(0, i, i + 1).reshape(3, 3).mul(Math.sqrt(w.get(i)));
            g = g.add(si.matmul(si, false, true));
        }
        assertAllClose(a.div(n), last.a(), 1e-12);
        assertAllClose(g.div(n), last.g(), 1e-12);
    }

    @Property(tries = 10)
    void ekfacScalingsOfTheOutputLayerAreMeanSquaredPerExampleGradientsInTheKfacEigenbasis(
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(seed, n, 1);
        LossBatch batch = p.batches().get(0);
        EkfacOperator ekfac = KfacOperator.builder(p.params()).buildEkfac(p.batches());
        KroneckerEigenbasis basis = ekfac.layers().get(1).basis();

        // Definition for the output layer z = W h + b: dW_nc = S_n[:, c] [h_n; 1]^T for each column c.
        Tensor logits = batch.model().apply(p.params(), Var.constant(batch.inputs()), dev.hyperkron.nn.Context.eval()).value();
        Tensor hidden = Var.constant(batch.inputs()).matmul(p.params().get("0.weight"), false, true)
                .add(p.params().get("0.bias")).tanh().value();
        Tensor s = new CrossEntropyLoss().hessianFactor(logits);
        Tensor expected = Tensor.zeros(DType.F64, 3, basis.qa().dim(1)); // fewer than 6 columns if A is held as rows
        for (int i = 0; i < n; i++) {
            Tensor a = Tensor.concat(0, hidden.slice(0, i, i + 1).reshape(5), Tensor.ones(DType.F64, 1)).reshape(1, 6);
            for (int c = 0; c < 3; c++) {
                Tensor g = s.slice(0, i, i + 1).slice(2, c, c + 1).reshape(3, 1);
                Tensor rotated = basis.qg().matmul(g.matmul(a), true, false).matmul(basis.qa());
                expected = expected.add(rotated.square());
            }
        }
        assertAllClose(expected.div(n), ekfac.scalings().get(1), 1e-12);
    }

    @Test
    void convolutionFactorsFollowTheExpandAndReduceDefinitions() {
        Fixtures.Problem p = Fixtures.cnnCrossEntropy(5, 3);
        LossBatch batch = p.batches().get(0);
        Params params = p.params();
        ConvGeometry geometry = ConvGeometry.square(3, 1, 1, 1);
        int n = 3;
        int positions = 16;
        Tensor patches = batch.inputs().unfold(geometry); // [N, 18, L]
        Var s = Var.leaf(params.get("0.weight").value().reshape(3, -1).matmul(patches)); // conv output [N, 3, L]
        Var logits = s.add(params.get("0.bias").reshape(3, 1)).reshape(n, 3, 4, 4).tanh()
                .maxPool2d(ConvGeometry.square(2, 2, 0, 1)).reshape(n, -1)
                .matmul(params.get("4.weight"), false, true).add(params.get("4.bias"));
        Tensor factor = new CrossEntropyLoss().hessianFactor(logits.value()); // [N, 3, 3]

        // g_ncl: back-propagate each column c of S to the conv output.
        Tensor[] g = new Tensor[3];
        for (int c = 0; c < 3; c++) {
            Var column = Var.constant(factor.slice(2, c, c + 1).reshape(n, 3));
            g[c] = Grad.grad(List.of(logits), List.of(s), Grad.Options.DEFAULT.seeds(List.of(column)).retainGraph())
                    .get(0).value();
        }
        Tensor expandA = Tensor.zeros(DType.F64, 19, 19);
        Tensor reduceA = Tensor.zeros(DType.F64, 19, 19);
        Tensor expandG = Tensor.zeros(DType.F64, 3, 3);
        Tensor reduceG = Tensor.zeros(DType.F64, 3, 3);
        for (int i = 0; i < n; i++) {
            Tensor mean = Tensor.zeros(DType.F64, 19, 1);
            for (int l = 0; l < positions; l++) {
                Tensor a = Tensor.concat(0, patches.slice(0, i, i + 1).slice(2, l, l + 1).reshape(18),
                        Tensor.ones(DType.F64, 1)).reshape(19, 1);
                expandA = expandA.add(a.matmul(a, false, true));
                mean = mean.add(a.div(positions));
            }
            reduceA = reduceA.add(mean.matmul(mean, false, true));
            for (int c = 0; c < 3; c++) {
                Tensor sum = Tensor.zeros(DType.F64, 3, 1);
                for (int l = 0; l < positions; l++) {
                    Tensor gl = g[c].slice(0, i, i + 1).slice(2, l, l + 1).reshape(3, 1);
                    expandG = expandG.add(gl.matmul(gl, false, true));
                    sum = sum.add(gl);
                }
                reduceG = reduceG.add(sum.matmul(sum, false, true));
            }
        }
        KroneckerFactors expand = KfacOperator.builder(params).weightSharing(WeightSharing.EXPAND)
                .build(p.batches()).factors().get(0);
        KroneckerFactors reduce = KfacOperator.builder(params).weightSharing(WeightSharing.REDUCE)
                .build(p.batches()).factors().get(0);
        assertAllClose(expandA.div(n * positions), expand.a(), 1e-12);
        assertAllClose(expandG.div(n), expand.g(), 1e-12);
        assertAllClose(reduceA.div(n), reduce.a(), 1e-12);
        assertAllClose(reduceG.div(n), reduce.g(), 1e-12);
        assertEquals(2, expand.layer().kind().ordinal() + 1);
    }

    @Test
    void monteCarloFisherConvergesToTypeTwoAsSamplesGrow() {
        Fixtures.Problem p = Fixtures.mlpCrossEntropy(11, 8, 1);
        KroneckerFactors exact = KfacOperator.builder(p.params()).build(p.batches()).factors().get(1);
        double previous = Double.POSITIVE_INFINITY;
        for (int samples : new int[] {10, 300, 5000}) {
            KroneckerFactors mc = KfacOperator.builder(p.params()).fisherType(FisherType.MC).mcSamples(samples)
                    .rng(new Rng(3)).build(p.batches()).factors().get(1);
            double error = mc.g().sub(exact.g()).abs().max().item() / exact.g().abs().max().item();
            assertTrue(error < previous || error < 0.02, "MC error did not shrink: " + error + " after " + previous);
            previous = error;
        }
        assertTrue(previous < 0.05, "MC Fisher with 5000 samples is " + previous + " away from type-2");
    }
}
