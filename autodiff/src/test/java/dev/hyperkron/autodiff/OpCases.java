package dev.hyperkron.autodiff;

import static dev.hyperkron.autodiff.OpCase.broadcastable;
import static dev.hyperkron.autodiff.OpCase.normal;
import static dev.hyperkron.autodiff.OpCase.positive;
import static dev.hyperkron.autodiff.OpCase.shape;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.kernels.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The shared fixture: every differentiable op of the core, with inputs that avoid its kinks and poles. */
final class OpCases {
    private OpCases() {
    }

    static List<OpCase> all() {
        List<OpCase> cases = new ArrayList<>();
        unary(cases, "neg", OpCase::normal, Var::neg);
        unary(cases, "abs", OpCase::awayFromZero, Var::abs);
        unary(cases, "square", OpCase::normal, Var::square);
        unary(cases, "sqrt", OpCase::positive, Var::sqrt);
        unary(cases, "reciprocal", OpCase::positive, Var::reciprocal);
        unary(cases, "exp", OpCase::normal, Var::exp);
        unary(cases, "log", OpCase::positive, Var::log);
        unary(cases, "tanh", OpCase::normal, Var::tanh);
        unary(cases, "sigmoid", OpCase::normal, Var::sigmoid);
        unary(cases, "relu", OpCase::awayFromZero, x -> x.relu().mul(x)); // relu'' = 0: multiply to get curvature
        unary(cases, "softplus", OpCase::normal, Var::softplus);
        unary(cases, "erf", OpCase::normal, Var::erf);
        unary(cases, "gelu", OpCase::normal, Var::gelu);
        unary(cases, "pow(2.5)", OpCase::positive, x -> x.pow(2.5));
        unary(cases, "clamp", OpCase::normal, x -> clampAwayFromBounds(x).mul(x));

        binary(cases, "add", OpCase::normal, OpCase::normal, Var::add);
        binary(cases, "sub", OpCase::normal, OpCase::normal, Var::sub);
        binary(cases, "mul", OpCase::normal, OpCase::normal, Var::mul);
        binary(cases, "div", OpCase::normal, OpCase::positive, Var::div);
        binary(cases, "pow", OpCase::positive, OpCase::normal, Var::pow);
        binary(cases, "maximum", OpCase::normal, OpCase::normal, (a, b) -> a.maximum(b).square());
        binary(cases, "minimum", OpCase::normal, OpCase::normal, (a, b) -> a.minimum(b).square());
        cases.add(new OpCase("where", rng -> {
            int[] s = shape(rng, 3);
            return List.of(normal(rng, s), normal(rng, s));
        }, v -> {
            Tensor cond = v.get(0).value().gt(0.0);
            return Var.where(cond, v.get(0).square(), v.get(1).mul(v.get(0)));
        }));

        reduction(cases, "sum", (x, axes) -> x.sum(axes, false).square());
        reduction(cases, "sum keepDims", (x, axes) -> x.sum(axes, true).mul(x));
        reduction(cases, "mean", (x, axes) -> x.mean(axes, false).exp());
        reduction(cases, "max", (x, axes) -> x.max(axes, false).square());
        reduction(cases, "min", (x, axes) -> x.min(axes, true).mul(x));
        reduction(cases, "logsumexp", (x, axes) -> x.logsumexp(axes, false).square());
        reduction(cases, "variance", (x, axes) -> x.variance(axes, false));
        cases.add(new OpCase("dot", rng -> {
            int[] s = shape(rng, 3);
            return List.of(normal(rng, s), normal(rng, s));
        }, v -> v.get(0).dot(v.get(1).mul(v.get(0))).square()));
        binary(cases, "dot", OpCase::normal, OpCase::normal, Var::dot);
        cases.add(new OpCase("dot with itself", rng -> List.of(normal(rng, shape(rng, 3))),
                v -> v.get(0).dot(v.get(0)).mul(v.get(0).sum())));
        cases.add(new OpCase("softmax", rng -> List.of(normal(rng, shape(rng, 3))),
                v -> v.get(0).softmax(-1).square()));
        cases.add(new OpCase("logSoftmax", rng -> List.of(normal(rng, shape(rng, 2))),
                v -> v.get(0).logSoftmax(0).square()));
        cases.add(new OpCase("sumTo", rng -> {
            int[] full = shape(rng, 3);
            return List.of(normal(rng, full), normal(rng, broadcastable(rng, full)));
        }, v -> v.get(0).mul(v.get(0)).sumTo(v.get(1).shape()).mul(v.get(1))));

        cases.add(new OpCase("matmul", rng -> {
            int m = 1 + rng.nextInt(4);
            int k = 1 + rng.nextInt(4);
            int n = 1 + rng.nextInt(4);
            return List.of(normal(rng, m, k), normal(rng, k, n));
        }, v -> v.get(0).matmul(v.get(1)).square()));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                cases.add(new OpCase("batched matmul transA=" + ta + " transB=" + tb, rng -> {
                    int m = 1 + rng.nextInt(3);
                    int k = 1 + rng.nextInt(3);
                    int n = 1 + rng.nextInt(3);
                    int batch = 1 + rng.nextInt(3);
                    Tensor a = ta ? normal(rng, batch, k, m) : normal(rng, batch, m, k);
                    Tensor b = tb ? normal(rng, 1, n, k) : normal(rng, 1, k, n);
                    return List.of(a, rng.nextInt(2) == 0 ? b : b.reshape(b.shape().dims()[1], b.shape().dims()[2]));
                }, v -> v.get(0).matmul(v.get(1), ta, tb).square()));
                cases.add(new OpCase("matmul shared left transA=" + ta + " transB=" + tb, rng -> {
                    int m = 1 + rng.nextInt(3);
                    int k = 1 + rng.nextInt(3);
                    int n = 1 + rng.nextInt(3);
                    Tensor a = ta ? normal(rng, k, m) : normal(rng, m, k);
                    Tensor b = tb ? normal(rng, 2, n, k) : normal(rng, 2, k, n);
                    return List.of(a, b);
                }, v -> v.get(0).matmul(v.get(1), ta, tb).square()));
            }
        }

        for (FusedActivation activation : FusedActivation.values()) {
            for (boolean withBias : new boolean[] {false, true}) {
                cases.add(new OpCase("linear " + activation + (withBias ? " with bias" : ""), rng -> {
                    int in = 1 + rng.nextInt(4);
                    int out = 1 + rng.nextInt(4);
                    Tensor x = rng.nextInt(2) == 0 ? normal(rng, 1 + rng.nextInt(3), in) : normal(rng, 2, 1 + rng.nextInt(3), in);
                    return withBias ? List.of(x, normal(rng, out, in), normal(rng, out)) : List.of(x, normal(rng, out, in));
                }, v -> {
                    Var y = v.get(0).linear(v.get(1), withBias ? v.get(2) : null, activation);
                    // relu'' = 0: a product with a row sum of the input gives the mixed curvature something to see.
                    return y.mul(y).mul(v.get(0).sum(-1, true));
                }));
            }
        }

        cases.add(new OpCase("reshape", rng -> List.of(normal(rng, 2, 3, 2)),
                v -> v.get(0).reshape(3, -1).square().reshape(12).mul(v.get(0).flatten())));
        cases.add(new OpCase("permute", rng -> List.of(normal(rng, shape(rng, 3))),
                v -> v.get(0).permute(2, 0, 1).square().permute(1, 2, 0).mul(v.get(0))));
        cases.add(new OpCase("transpose", rng -> List.of(normal(rng, shape(rng, 2))),
                v -> v.get(0).transpose(0, 1).exp().transpose(0, 1).mul(v.get(0))));
        cases.add(new OpCase("slice", rng -> List.of(normal(rng, 3, 5)),
                v -> v.get(0).slice(1, 1, 4).square()));
        cases.add(new OpCase("pad", rng -> List.of(normal(rng, 3, 2)),
                v -> v.get(0).pad(0, 1, 2).square().mul(Var.constant(Tensor.arange(DType.F64, 12).reshape(6, 2)))));
        cases.add(new OpCase("concat", rng -> List.of(normal(rng, 2, 3), normal(rng, 2, 1)),
                v -> Var.concat(1, v.get(0), v.get(1).square(), v.get(0)).square()));
        cases.add(new OpCase("expand", rng -> List.of(normal(rng, 3, 1)),
                v -> v.get(0).expand(dev.hyperkron.core.Shape.of(2, 3, 4)).square()));
        cases.add(new OpCase("unsqueeze/squeeze", rng -> List.of(normal(rng, 3)),
                v -> v.get(0).unsqueeze(0).square().squeeze(0).mul(v.get(0))));

        cases.add(new OpCase("gather", rng -> List.of(normal(rng, 3, 4)),
                v -> v.get(0).gather(1, Tensor.of(new long[] {0, 3, 3, 1, 2, 2}, 3, 2)).square()));
        cases.add(new OpCase("scatterAdd", rng -> List.of(normal(rng, 3, 4), normal(rng, 3, 2)),
                v -> v.get(0).scatterAdd(1, Tensor.of(new long[] {0, 0, 3, 1, 2, 2}, 3, 2), v.get(1).square()).square()));
        cases.add(new OpCase("indexSelect", rng -> List.of(normal(rng, 4, 3)),
                v -> v.get(0).indexSelect(0, Tensor.of(new long[] {3, 0, 3})).square()));
        cases.add(new OpCase("indexAdd", rng -> List.of(normal(rng, 4, 3), normal(rng, 3, 3)),
                v -> v.get(0).indexAdd(0, Tensor.of(new long[] {1, 1, 2}), v.get(1).mul(v.get(1))).square()));

        ConvGeometry g = new ConvGeometry(2, 3, 1, 2, 1, 0, 1, 1);
        cases.add(new OpCase("unfold", rng -> List.of(normal(rng, 2, 2, 4, 5)),
                v -> v.get(0).unfold(g).square()));
        cases.add(new OpCase("fold", rng -> List.of(normal(rng, 2, 2 * 6, g.outHeight(4) * g.outWidth(5))),
                v -> v.get(0).fold(4, 5, g).square()));
        ConvGeometry pool = new ConvGeometry(2, 2, 2, 1, 1, 0, 1, 1);
        cases.add(new OpCase("maxPool2d", rng -> List.of(normal(rng, 2, 2, 4, 5)),
                v -> v.get(0).maxPool2d(pool).square()));
        cases.add(new OpCase("avgPool2d", rng -> List.of(normal(rng, 2, 2, 4, 5)),
                v -> v.get(0).avgPool2d(pool).square()));
        return cases;
    }

    private static Var clampAwayFromBounds(Var x) {
        return x.clamp(-0.55, 0.45); // samples land exactly on a bound with probability 0
    }

    private static void unary(List<OpCase> cases, String name, BiFunction<Rng, int[], Tensor> sampler,
                              Function<Var, Var> f) {
        cases.add(new OpCase(name, rng -> List.of(sampler.apply(rng, shape(rng, rng.nextInt(4)))),
                v -> f.apply(v.get(0))));
    }

    private static void binary(List<OpCase> cases, String name, BiFunction<Rng, int[], Tensor> left,
                               BiFunction<Rng, int[], Tensor> right, BiFunction<Var, Var, Var> f) {
        cases.add(new OpCase(name + " (broadcast)", rng -> {
            int[] full = shape(rng, 1 + rng.nextInt(3));
            int[] other = broadcastable(rng, full);
            return rng.nextInt(2) == 0 ? List.of(left.apply(rng, full), right.apply(rng, other))
                    : List.of(left.apply(rng, other), right.apply(rng, full));
        }, v -> f.apply(v.get(0), v.get(1))));
    }

    private static void reduction(List<OpCase> cases, String name, BiFunction<Var, int[], Var> f) {
        cases.add(new OpCase(name, rng -> List.of(normal(rng, shape(rng, 3))), v -> {
            Var x = v.get(0);
            return f.apply(x, new int[] {-1, 0});
        }));
        cases.add(new OpCase(name + " (one axis)", rng -> List.of(normal(rng, shape(rng, 3))),
                v -> f.apply(v.get(0), new int[] {1})));
    }
}
