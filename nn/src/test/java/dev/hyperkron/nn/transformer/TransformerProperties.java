package dev.hyperkron.nn.transformer;

import static dev.hyperkron.nn.Tensors.assertClose;
import static dev.hyperkron.nn.Tensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperkron.autodiff.GradCheck;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Context;
import dev.hyperkron.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The transformer layers in F64: attention against naive loops, gradients and Hessian-vector
 * products of every layer against finite differences (with padding masks), and padding that
 * never reaches a real position.
 */
class TransformerProperties {
    private static final double TOLERANCE = 1e-6;

    @Property(tries = 30)
    void attentionMatchesNaiveLoops(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int t,
                                    @ForAll boolean masked, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int hidden = 6;
        int heads = 3;
        SelfAttention attention = new SelfAttention(hidden, heads, 0);
        Params p = attention.init(rng, DType.F64);
        Tensor x = normal(rng, n, t, hidden);
        Tensor mask = masked ? TinyBert.mask(rng, n, t) : Tensor.ones(DType.F64, n, t);
        Context ctx = masked ? Context.eval().withPositionMask(mask) : Context.eval();
        Tensor actual = attention.apply(p, Var.constant(x), ctx).value();
        assertClose(naiveAttention(x, mask, p, heads), actual, 1e-12);
    }

    private static Tensor naiveAttention(Tensor x, Tensor mask, Params p, int heads) {
        int n = x.dim(0);
        int t = x.dim(1);
        int h = x.dim(2);
        int d = h / heads;
        double[][][] q = project(x, p.value("query.weight"), p.value("query.bias"));
        double[][][] k = project(x, p.value("key.weight"), p.value("key.bias"));
        double[][][] v = project(x, p.value("value.weight"), p.value("value.bias"));
        double[] out = new double[n * t * h];
        for (int b = 0; b < n; b++) {
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < t; i++) {
                    double[] w = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        if (mask.get(b, j) == 0) {
                            continue;
                        }
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += q[b][i][head * d + c] * k[b][j][head * d + c];
                        }
                        w[j] = s / Math.sqrt(d);
                        max = Math.max(max, w[j]);
                    }
                    double total = 0;
                    for (int j = 0; j < t; j++) {
                        w[j] = mask.get(b, j) == 0 ? 0 : Math.exp(w[j] - max);
                        total += w[j];
                    }
                    for (int c = 0; c < d; c++) {
                        double s = 0;
                        for (int j = 0; j < t; j++) {
                            s += w[j] / total * v[b][j][head * d + c];
                        }
                        out[(b * t + i) * h + head * d + c] = s;
                    }
                }
            }
        }
        return Tensor.of(out, n, t, h);
    }

    // x W^T + b per position, as nested arrays.
    private static double[][][] project(Tensor x, Tensor w, Tensor bias) {
        int n = x.dim(0);
        int t = x.dim(1);
        int in = x.dim(2);
        int out = w.dim(0);
        double[][][] y = new double[n][t][out];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < t; i++) {
                for (int o = 0; o < out; o++) {
                    double s = bias.get(o);
                    for (int c = 0; c < in; c++) {
                        s += x.get(b, i, c) * w.get(o, c);
                    }
                    y[b][i][o] = s;
                }
            }
        }
        return y;
    }

    @Property(tries = 12)
    void attentionGradientsAndHvpsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n,
                                                         @ForAll @IntRange(min = 1, max = 4) int t, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor mask = TinyBert.mask(rng, n, t);
        checkModule(new SelfAttention(4, 2, 0), normal(rng, n, t, 4), Context.eval().withPositionMask(mask), rng);
    }

    @Property(tries = 8)
    void encoderLayerGradientsAndHvpsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                                            @ForAll @IntRange(min = 1, max = 3) int t, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor mask = TinyBert.mask(rng, n, t);
        checkModule(new BertLayer(TinyBert.CONFIG, 0), TinyBert.states(rng, n, t), Context.eval().withPositionMask(mask),
                rng);
    }

    @Property(tries = 8)
    void classifierGradientsMatchFiniteDifferencesWithEitherPooling(@ForAll @IntRange(min = 1, max = 3) int t,
                                                                    @ForAll boolean mean, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = 2;
        Module model = new SequenceClassifier(new BertEncoder(TinyBert.CONFIG, false, 1, 2, 0),
                mean ? Pooling.MEAN : Pooling.CLS, 3, 0);
        Tensor input = PaddedSequences.pack(TinyBert.states(rng, n, t), TinyBert.mask(rng, n, t));
        Params p = model.init(rng, DType.F64);
        Function<List<Var>, Var> f = vars -> model.apply(p.withVars(vars), Var.constant(input), Context.eval());
        GradCheck.checkGradient(f, p.values()).assertPasses(TOLERANCE);
    }

    @Property(tries = 8)
    void embeddingGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int t, @ForAll long seed) {
        Rng rng = new Rng(seed);
        BertEmbeddings embeddings = new BertEmbeddings(TinyBert.CONFIG, 0);
        Params p = embeddings.init(rng, DType.F64);
        Tensor tokens = TinyBert.tokens(rng, 2, t);
        Function<List<Var>, Var> f = vars -> embeddings.apply(p.withVars(vars), Var.constant(tokens), Context.eval());
        GradCheck.checkGradient(f, p.values()).assertPasses(TOLERANCE);
    }

    /** Gradients and HVPs with respect to the input and every parameter. */
    private static void checkModule(Module module, Tensor input, Context ctx, Rng rng) {
        Params p = module.init(rng, DType.F64);
        Function<List<Var>, Var> f = vars -> module.apply(p.withVars(vars.subList(1, vars.size())), vars.get(0), ctx);
        List<Tensor> at = new ArrayList<>();
        at.add(input);
        at.addAll(p.values());
        GradCheck.checkGradient(f, at).assertPasses(TOLERANCE);
        List<Tensor> direction = new ArrayList<>();
        for (Tensor a : at) {
            direction.add(normal(rng, a.shape().dims()));
        }
        GradCheck.checkHvp(f, at, direction).assertPasses(TOLERANCE);
    }

    @Property(tries = 20)
    void paddedPositionsNeverChangeRealOutputs(@ForAll @IntRange(min = 1, max = 3) int n,
                                               @ForAll @IntRange(min = 1, max = 5) int t, @ForAll long seed) {
        Rng rng = new Rng(seed);
        BertEncoder encoder = BertEncoder.full(TinyBert.CONFIG, 0);
        Params p = encoder.init(rng, DType.F64);
        Tensor mask = TinyBert.mask(rng, n, t);
        Tensor tokens = TinyBert.tokens(rng, n, t);
        Tensor otherPadding = tokens.mul(mask.reshape(n, t, 1)).add(TinyBert.tokens(rng, n, t)
                .mul(mask.neg().add(1).reshape(n, t, 1)));
        BertEncoder.Encoded a = encoder.encode(p, Var.constant(PaddedSequences.pack(tokens, mask)), Context.eval());
        BertEncoder.Encoded b = encoder.encode(p, Var.constant(PaddedSequences.pack(otherPadding, mask)), Context.eval());
        Tensor keep = a.mask().reshape(n, a.mask().dim(1), 1);
        assertClose(a.states().value().mul(keep), b.states().value().mul(keep), 1e-12);
    }

    @Property(tries = 20)
    void trailingPaddingIsDroppedWithoutChangingTheResult(@ForAll @IntRange(min = 1, max = 3) int n,
                                                          @ForAll @IntRange(min = 1, max = 4) int t,
                                                          @ForAll @IntRange(min = 1, max = 3) int extra,
                                                          @ForAll long seed) {
        Rng rng = new Rng(seed);
        SequenceClassifier model = new SequenceClassifier(BertEncoder.full(TinyBert.CONFIG, 0), Pooling.MEAN, 3, 0);
        Params p = model.init(rng, DType.F64);
        Tensor mask = TinyBert.mask(rng, n, t);
        Tensor tokens = TinyBert.tokens(rng, n, t);
        Tensor padded = PaddedSequences.pack(tokens.pad(1, 0, extra), mask.pad(1, 0, extra));
        Tensor logits = model.apply(p, Var.constant(PaddedSequences.pack(tokens, mask)), Context.eval()).value();
        assertClose(logits, model.apply(p, Var.constant(padded), Context.eval()).value(), 1e-12);
        BertEncoder.Encoded e = model.encoder().encode(p, Var.constant(padded), Context.eval());
        assertEquals(t, e.mask().dim(1));
    }

    @Property(tries = 20)
    void poolingTakesTheFirstStateOrTheMeanOverRealPositions(@ForAll @IntRange(min = 1, max = 3) int n,
                                                             @ForAll @IntRange(min = 1, max = 5) int t,
                                                             @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor states = TinyBert.states(rng, n, t);
        Tensor mask = TinyBert.mask(rng, n, t);
        int h = states.dim(2);
        double[] cls = new double[n * h];
        double[] mean = new double[n * h];
        for (int b = 0; b < n; b++) {
            double count = 0;
            for (int i = 0; i < t; i++) {
                count += mask.get(b, i);
            }
            for (int c = 0; c < h; c++) {
                cls[b * h + c] = states.get(b, 0, c);
                for (int i = 0; i < t; i++) {
                    mean[b * h + c] += mask.get(b, i) * states.get(b, i, c) / count;
                }
            }
        }
        assertClose(Tensor.of(cls, n, h), Pooling.CLS.pool(Var.constant(states), mask).value(), 0);
        assertClose(Tensor.of(mean, n, h), Pooling.MEAN.pool(Var.constant(states), mask).value(), 1e-12);
    }
}
