package dev.hyperkron.autodiff;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference checks of gradients and Hessian-vector products in F64, for tests. A
 * non-scalar function is first reduced to a scalar by a fixed random projection, so every
 * output element is exercised. The report names the worst coordinate.
 */
public final class GradCheck {
    /** Default central-difference step, a good balance of truncation and rounding error in F64. */
    public static final double DEFAULT_EPS = 1e-6;

    private GradCheck() {
    }

    /**
     * The outcome of a check: the worst scaled error |analytic - numeric| / (1 + |numeric|),
     * where it occurred (input index and flat coordinate) and both values there.
     */
    public record Report(String what, double maxError, int input, int coordinate, double analytic, double numeric) {
        /** Whether the worst error is at most {@code tolerance}. */
        public boolean passes(double tolerance) {
            return maxError <= tolerance;
        }

        /** Throws an AssertionError describing the worst coordinate unless the check passes. */
        public Report assertPasses(double tolerance) {
            if (!passes(tolerance)) {
                throw new AssertionError(this + " exceeds tolerance " + tolerance);
            }
            return this;
        }

        @Override
        public String toString() {
            return what + ": max scaled error " + maxError + " at input " + input + ", element " + coordinate
                    + " (analytic " + analytic + ", numeric " + numeric + ")";
        }
    }

    /** Compares autodiff gradients of f at the inputs with central differences. */
    public static Report checkGradient(Function<List<Var>, Var> f, List<Tensor> inputs) {
        return checkGradient(f, inputs, DEFAULT_EPS);
    }

    public static Report checkGradient(Function<List<Var>, Var> f, List<Tensor> inputs, double eps) {
        List<Tensor> x = toF64(inputs);
        Function<List<Var>, Var> scalar = projected(f, x);
        List<Tensor> analytic = gradientAt(scalar, x);
        Worst worst = new Worst("gradient");
        for (int i = 0; i < x.size(); i++) {
            for (int c = 0; c < x.get(i).size(); c++) {
                int input = i;
                int coord = c;
                double numeric = centralDifference(eps, h -> evaluate(scalar, shifted(x, input, coord, h)));
                worst.offer(i, c, analytic.get(i).storage().getDouble(c), numeric);
            }
        }
        return worst.report();
    }

    /** Compares autodiff H v with central differences of gradients along v. */
    public static Report checkHvp(Function<List<Var>, Var> f, List<Tensor> inputs, List<Tensor> v) {
        return checkHvp(f, inputs, v, DEFAULT_EPS);
    }

    public static Report checkHvp(Function<List<Var>, Var> f, List<Tensor> inputs, List<Tensor> v, double eps) {
        List<Tensor> x = toF64(inputs);
        List<Tensor> dir = toF64(v);
        Function<List<Var>, Var> scalar = projected(f, x);
        List<Tensor> analytic = Grad.hvp(p -> scalar.apply(p.vars()), positional(x), positional(dir)).values();
        List<Tensor> plus = gradientAt(scalar, axpy(x, eps, dir));
        List<Tensor> minus = gradientAt(scalar, axpy(x, -eps, dir));
        Worst worst = new Worst("Hessian-vector product");
        for (int i = 0; i < x.size(); i++) {
            for (int c = 0; c < x.get(i).size(); c++) {
                double numeric = (plus.get(i).storage().getDouble(c) - minus.get(i).storage().getDouble(c)) / (2 * eps);
                worst.offer(i, c, analytic.get(i).storage().getDouble(c), numeric);
            }
        }
        return worst.report();
    }

    private static final class Worst {
        private final String what;
        private double error = -1;
        private int input = -1;
        private int coordinate = -1;
        private double analytic = Double.NaN;
        private double numeric = Double.NaN;

        Worst(String what) {
            this.what = what;
        }

        void offer(int i, int c, double a, double n) {
            double e = Math.abs(a - n) / (1 + Math.abs(n));
            if (Double.isNaN(e)) {
                e = Double.POSITIVE_INFINITY;
            }
            if (e > error) {
                error = e;
                input = i;
                coordinate = c;
                analytic = a;
                numeric = n;
            }
        }

        Report report() {
            return new Report(what, Math.max(0, error), input, coordinate, analytic, numeric);
        }
    }

    private interface Evaluation {
        double at(double h);
    }

    private static double centralDifference(double eps, Evaluation f) {
        return (f.at(eps) - f.at(-eps)) / (2 * eps);
    }

    // Reduces a non-scalar f to <f, r> with a fixed random r, so the check covers every output.
    private static Function<List<Var>, Var> projected(Function<List<Var>, Var> f, List<Tensor> x) {
        Var probe;
        try (NoGrad scope = NoGrad.enter()) {
            probe = f.apply(positional(x).vars());
        }
        if (probe.size() == 1) {
            return vars -> f.apply(vars).reshape();
        }
        Tensor r = Tensor.randn(new Rng(42), DType.F64, probe.shape().dims());
        return vars -> f.apply(vars).cast(DType.F64).mul(Var.constant(r)).sum();
    }

    private static double evaluate(Function<List<Var>, Var> f, List<Tensor> x) {
        try (NoGrad scope = NoGrad.enter()) {
            return f.apply(positional(x).vars()).item();
        }
    }

    private static List<Tensor> gradientAt(Function<List<Var>, Var> f, List<Tensor> x) {
        return Grad.grad(p -> f.apply(p.vars()), positional(x)).values();
    }

    // The op's inputs as Params named "0", "1", ... in order.
    private static Params positional(List<Tensor> values) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            names.add(Integer.toString(i));
        }
        return Params.constants(names, values);
    }

    private static List<Tensor> shifted(List<Tensor> x, int input, int coordinate, double h) {
        List<Tensor> out = new ArrayList<>(x);
        Tensor t = x.get(input).copy();
        t.storage().setDouble(coordinate, t.storage().getDouble(coordinate) + h);
        out.set(input, t);
        return out;
    }

    private static List<Tensor> axpy(List<Tensor> x, double alpha, List<Tensor> v) {
        if (x.size() != v.size()) {
            throw new IllegalArgumentException("checkHvp: " + x.size() + " inputs but " + v.size() + " directions");
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            out.add(x.get(i).copy().axpyInPlace(alpha, v.get(i)));
        }
        return out;
    }

    private static List<Tensor> toF64(List<Tensor> ts) {
        return new ArrayList<>(Arrays.asList(ts.stream().map(t -> t.cast(DType.F64)).toArray(Tensor[]::new)));
    }
}
