package dev.hyperkron.kfac;

import static dev.hyperkron.kfac.TensorAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.CapturedLayer;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.LayerObserver;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.layers.Linear;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.loss.MseLoss;
import dev.hyperkron.nn.loss.Reduction;
import dev.hyperkron.nn.text.BertConfig;
import dev.hyperkron.nn.transformer.BertEncoder;
import dev.hyperkron.nn.transformer.PaddedSequences;
import dev.hyperkron.nn.transformer.Pooling;
import dev.hyperkron.nn.transformer.SequenceClassifier;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * KFAC for layers shared over the positions of padded sequence batches (Eschenhagen et al.
 * 2023): exact where theory says so (EXPAND for a per-position linear model with a loss per
 * real position, REDUCE for a linear model pooled by the mean over real positions, both with
 * MSE), equal to its definition by explicit loops over real positions on a transformer, and
 * blind to whatever the padded positions hold.
 */
class SequenceKfacTest {
    private static final BertConfig TINY = new BertConfig(1, 4, 2, 6, 11, 8, 2, 1e-5);

    /** A per-position Linear whose outputs at real positions are the rows [M, out] of a per-position loss. */
    private static final class PerPositionLinear implements Module {
        private final Linear linear;
        private final boolean pooled;

        PerPositionLinear(int in, int out, boolean pooled) {
            this.linear = new Linear(in, out);
            this.pooled = pooled;
        }

        @Override
        public Params init(Rng rng, DType dtype) {
            return linear.init(rng, dtype);
        }

        @Override
        public Var apply(Params params, Var input, Context ctx) {
            Tensor mask = PaddedSequences.mask(input.value());
            Var y = linear.apply(params, PaddedSequences.features(input), ctx.withPositionMask(mask));
            int n = y.dim(0);
            int t = y.dim(1);
            if (pooled) {
                Tensor weights = mask.div(mask.sum(1, true)).reshape(n, t, 1);
                return y.mul(Var.constant(weights)).sum(1, false);
            }
            return y.reshape(n * t, y.dim(2)).indexSelect(0, realRows(mask));
        }
    }

    private static Tensor realRows(Tensor mask) {
        double[] m = mask.toDoubleArray();
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                rows.add((long) i);
            }
        }
        return Tensor.of(rows.stream().mapToLong(Long::longValue).toArray(), rows.size());
    }

    /** Right-padded lengths 1..t with one full row, and garbage features at the padded positions. */
    private static Tensor paddedBatch(Rng rng, int n, int t, int features) {
        double[] m = new double[n * t];
        for (int r = 0; r < n; r++) {
            int length = r == 0 ? t : 1 + rng.nextInt(t);
            for (int c = 0; c < length; c++) {
                m[r * t + c] = 1;
            }
        }
        return PaddedSequences.pack(Tensor.randn(rng, DType.F64, n, t, features).mul(3), Tensor.of(m, n, t));
    }

    /** The same batch with the padded positions' features replaced by other values. */
    private static Tensor otherPadding(Rng rng, Tensor packed) {
        Tensor mask = PaddedSequences.mask(packed);
        Tensor features = PaddedSequences.features(packed);
        int n = mask.dim(0);
        int t = mask.dim(1);
        Tensor keep = mask.reshape(n, t, 1);
        Tensor other = Tensor.randn(rng, DType.F64, features.shape().dims()).mul(keep.neg().add(1));
        return PaddedSequences.pack(features.mul(keep).add(other), mask);
    }

    @Property(tries = 15)
    void expandIsExactForALinearModelWithALossPerRealPosition(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Module model = new PerPositionLinear(3, 2, false);
        Params params = model.init(rng, DType.F64);
        Tensor x = paddedBatch(rng, 3, 4, 3);
        int real = (int) PaddedSequences.mask(x).sum().item();
        LossBatch batch = new LossBatch(model, x, Tensor.randn(rng, DType.F64, real, 2), null, new MseLoss(), Reduction.SUM);
        Tensor kfac = KfacOperator.builder(params).weightSharing(WeightSharing.EXPAND).build(List.of(batch)).toDense();
        assertAllClose(GgnOperator.of(params, List.of(batch)).toDense(), kfac, 1e-10);
    }

    @Property(tries = 15)
    void reduceIsExactForALinearModelPooledByTheMeanOverRealPositions(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Module model = new PerPositionLinear(3, 2, true);
        Params params = model.init(rng, DType.F64);
        Tensor x = paddedBatch(rng, 4, 5, 3);
        LossBatch batch = new LossBatch(model, x, Tensor.randn(rng, DType.F64, 4, 2), null, new MseLoss(), Reduction.SUM);
        Tensor ggn = GgnOperator.of(params, List.of(batch)).toDense();
        assertAllClose(ggn, KfacOperator.builder(params).weightSharing(WeightSharing.REDUCE).build(List.of(batch))
                .toDense(), 1e-10);
        Tensor expand = KfacOperator.builder(params).weightSharing(WeightSharing.EXPAND).build(List.of(batch)).toDense();
        assertTrue(expand.sub(ggn).abs().max().item() > 1e-3, "EXPAND is not exact in the reduce setting");
    }

    @Test
    void transformerFactorsFollowTheDefinitionsOverRealPositions() {
        Rng rng = new Rng(3);
        SequenceClassifier model = new SequenceClassifier(new BertEncoder(TINY, false, 0, 1, 0), Pooling.CLS, 3, 0);
        Params params = model.init(rng, DType.F64);
        int n = 3;
        Tensor x = paddedBatch(rng, n, 4, TINY.hidden());
        LossBatch batch = LossBatch.of(model, x, Fixtures.classLabels(rng, n, 3), new CrossEntropyLoss());
        String layer = "encoder.layer.0.intermediate.dense";
        Recorded r = record(model, params, x, layer);
        Tensor mask = PaddedSequences.mask(x);
        int t = mask.dim(1);
        int in = TINY.hidden() + 1;
        int out = TINY.intermediate();
        Tensor expandA = Tensor.zeros(DType.F64, in, in);
        Tensor reduceA = Tensor.zeros(DType.F64, in, in);
        Tensor expandG = Tensor.zeros(DType.F64, out, out);
        Tensor reduceG = Tensor.zeros(DType.F64, out, out);
        int realPositions = 0;
        for (int i = 0; i < n; i++) {
            Tensor mean = Tensor.zeros(DType.F64, in, 1);
            double length = mask.slice(0, i, i + 1).sum().item();
            for (int p = 0; p < t; p++) {
                if (mask.get(i, p) == 0) {
                    continue;
                }
                realPositions++;
                Tensor a = Tensor.concat(0, r.input.slice(0, i, i + 1).slice(1, p, p + 1).reshape(TINY.hidden()),
                        Tensor.ones(DType.F64, 1)).reshape(in, 1);
                expandA = expandA.add(a.matmul(a, false, true));
                mean = mean.add(a.div(length));
            }
            reduceA = reduceA.add(mean.matmul(mean, false, true));
            for (Tensor g : r.gradients) {
                Tensor sum = Tensor.zeros(DType.F64, out, 1);
                for (int p = 0; p < t; p++) {
                    if (mask.get(i, p) != 0) {
                        Tensor gp = g.slice(0, i, i + 1).slice(1, p, p + 1).reshape(out, 1);
                        expandG = expandG.add(gp.matmul(gp, false, true));
                        sum = sum.add(gp);
                    }
                }
                reduceG = reduceG.add(sum.matmul(sum, false, true));
            }
        }
        KroneckerFactors expand = factorsOf(KfacOperator.builder(params).weightSharing(WeightSharing.EXPAND)
                .uncovered(UncoveredPolicy.IDENTITY).build(List.of(batch)), layer);
        KroneckerFactors reduce = factorsOf(KfacOperator.builder(params).weightSharing(WeightSharing.REDUCE)
                .uncovered(UncoveredPolicy.IDENTITY).build(List.of(batch)), layer);
        assertAllClose(expandA.div(realPositions), expand.a(), 1e-12);
        assertAllClose(expandG.div(n), expand.g(), 1e-12);
        assertAllClose(reduceA.div(n), reduce.a(), 1e-12);
        assertAllClose(reduceG.div(n), reduce.g(), 1e-12);
    }

    @Property(tries = 6)
    void whatPaddedPositionsHoldChangesNoCurvature(@ForAll long seed) {
        Rng rng = new Rng(seed);
        SequenceClassifier model = new SequenceClassifier(new BertEncoder(TINY, false, 0, 1, 0), Pooling.MEAN, 3, 0);
        Params params = model.init(rng, DType.F64);
        Tensor x = paddedBatch(rng, 3, 4, TINY.hidden());
        Tensor labels = Fixtures.classLabels(rng, 3, 3);
        List<LossBatch> a = List.of(LossBatch.of(model, x, labels, new CrossEntropyLoss()));
        List<LossBatch> b = List.of(LossBatch.of(model, otherPadding(rng, x), labels, new CrossEntropyLoss()));
        for (WeightSharing sharing : WeightSharing.values()) {
            KfacOperator.Builder kfac = KfacOperator.builder(params).weightSharing(sharing).uncovered(UncoveredPolicy.IDENTITY);
            assertAllClose(kfac.build(a).toDense(), kfac.build(b).toDense(), 1e-10);
            assertAllClose(kfac.buildEkfac(a).toDense(), kfac.buildEkfac(b).toDense(), 1e-10);
        }
        assertAllClose(GgnOperator.of(params, a).toDense(), GgnOperator.of(params, b).toDense(), 1e-10);
    }

    private static KroneckerFactors factorsOf(KfacOperator op, String path) {
        return op.factors().stream().filter(f -> f.layer().path().equals(path)).findFirst().orElseThrow();
    }

    /** A layer's input [N, T, in] and its output gradients for each Hessian-factor column of the CE loss. */
    private record Recorded(Tensor input, List<Tensor> gradients) {
    }

    private static Recorded record(Module model, Params params, Tensor x, String path) {
        Tensor[] input = new Tensor[1];
        Var[] output = new Var[1];
        LayerObserver observer = new LayerObserver() {
            @Override
            public void onInput(CapturedLayer layer, Tensor in, Tensor positionMask) {
                if (layer.path().equals(path)) {
                    input[0] = in;
                }
            }

            @Override
            public void onOutput(CapturedLayer layer, Var out) {
                if (layer.path().equals(path)) {
                    output[0] = out;
                }
            }

            @Override
            public void onOutputGradient(CapturedLayer layer, Tensor gradOutput) {
            }
        };
        Var logits = model.apply(params.asLeaves(), Var.constant(x), Context.eval().withObserver(observer));
        Tensor factor = new CrossEntropyLoss().hessianFactor(logits.value()); // [N, C, C]
        int n = logits.dim(0);
        int c = logits.dim(1);
        List<Tensor> gradients = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            Var column = Var.constant(factor.slice(2, k, k + 1).reshape(n, c));
            gradients.add(Grad.grad(List.of(logits), List.of(output[0]),
                    Grad.Options.DEFAULT.seeds(List.of(column)).retainGraph()).get(0).value());
        }
        return new Recorded(input[0], gradients);
    }
}
