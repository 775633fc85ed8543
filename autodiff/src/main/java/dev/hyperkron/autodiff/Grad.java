package dev.hyperkron.autodiff;

import dev.hyperkron.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reverse-mode differentiation in two layers. Function transforms in the style of JAX take a
 * function of {@link Params} and a point, and return Params: {@link #grad}, {@link #partials},
 * {@link #vjp}, {@link #jvp}, {@link #hvp} and {@link #mixed} (the mixed second derivative of
 * implicit hypergradients). Below them, {@link #grad(List, List, Options)} differentiates an
 * already recorded graph, in the spirit of {@code torch.autograd.grad}, with its choices named in
 * {@link Options}. Backward rules are written with Var ops, so a backward pass run with
 * {@link Options#createGraph()} is itself a graph: that gives Hessian-vector products and mixed
 * second derivatives by differentiating twice.
 */
public final class Grad {
    private Grad() {
    }

    /**
     * How a backward pass over a recorded graph runs, named at the call site
     * ({@code Options.DEFAULT.createGraph()}). The defaults: cotangent 1 for each (scalar) output,
     * no recording of the backward pass, the graph freed afterwards, an input the outputs do not
     * reach is an error.
     */
    public static final class Options {
        /** The defaults. */
        public static final Options DEFAULT = new Options(null, false, false, false);

        private final List<Var> seeds;
        private final boolean createGraph;
        private final boolean retainGraph;
        private final boolean allowUnused;

        private Options(List<Var> seeds, boolean createGraph, boolean retainGraph, boolean allowUnused) {
            this.seeds = seeds;
            this.createGraph = createGraph;
            this.retainGraph = retainGraph;
            this.allowUnused = allowUnused;
        }

        /** Backpropagates these cotangents (one per output, same shape) instead of 1: a vector-Jacobian product. */
        public Options seeds(List<Var> cotangents) {
            return new Options(List.copyOf(cotangents), createGraph, retainGraph, allowUnused);
        }

        /** Records the backward pass (and keeps the graph) so that the gradients are differentiable. */
        public Options createGraph() {
            return new Options(seeds, true, true, allowUnused);
        }

        /** Keeps the graph for further backward passes (else its nodes and saved tensors are freed). */
        public Options retainGraph() {
            return new Options(seeds, createGraph, true, allowUnused);
        }

        /** Returns null for inputs the outputs do not depend on, instead of failing. */
        public Options allowUnused() {
            return new Options(seeds, createGraph, retainGraph, true);
        }
    }

    /**
     * Gradients of recorded outputs with respect to inputs (leaves or intermediate Vars), one per
     * input with the input's shape.
     */
    public static List<Var> grad(List<Var> outputs, List<Var> inputs, Options options) {
        List<Var> gradOutputs = options.seeds;
        validate(outputs, inputs, gradOutputs);
        IdentityHashMap<Var, Boolean> isInput = new IdentityHashMap<>();
        for (Var in : inputs) {
            isInput.put(in, Boolean.TRUE);
        }
        List<Var> order = postOrder(outputs, isInput);
        IdentityHashMap<Var, Boolean> needed = neededVars(order, isInput);

        IdentityHashMap<Var, Var> grads = new IdentityHashMap<>();
        boolean previous = GradMode.set(options.createGraph);
        try {
            for (int i = 0; i < outputs.size(); i++) {
                Var out = outputs.get(i);
                if (needed.containsKey(out)) {
                    Var seed = gradOutputs == null ? Var.constant(Tensor.full(out.value().device(), out.dtype(), 1.0, out.shape()))
                            : gradOutputs.get(i);
                    accumulate(grads, out, seed);
                }
            }
            for (int i = order.size() - 1; i >= 0; i--) {
                Var v = order.get(i);
                Var g = grads.get(v);
                if (g == null || !v.hasNode() || !needed.containsKey(v)) {
                    continue;
                }
                Node node = v.node();
                Var[] in = node.inputs();
                boolean[] need = new boolean[in.length];
                boolean any = false;
                for (int k = 0; k < in.length; k++) {
                    need[k] = needed.containsKey(in[k]);
                    any |= need[k];
                }
                if (!any) {
                    continue;
                }
                Var[] inGrads = node.backward(g, v, need);
                for (int k = 0; k < in.length; k++) {
                    if (inGrads[k] != null && need[k]) {
                        accumulate(grads, in[k], inGrads[k]);
                    }
                }
                if (!isInput.containsKey(v)) {
                    grads.remove(v); // no longer needed: lets intermediate gradients be collected
                }
            }
        } finally {
            GradMode.set(previous);
        }
        if (!options.retainGraph) {
            for (Var v : order) {
                if (v.hasNode()) {
                    v.node().free();
                }
            }
        }
        List<Var> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Var g = grads.get(inputs.get(i));
            if (g == null && !options.allowUnused) {
                throw new IllegalArgumentException("input " + i + " (" + inputs.get(i).shape()
                        + ") is not reachable from the outputs; use Options.allowUnused() to get null for it");
            }
            result.add(g);
        }
        return result;
    }

    /** Gradient of a recorded scalar with respect to the inputs, with the default options (graph freed). */
    public static List<Var> grad(Var output, List<Var> inputs) {
        return grad(List.of(output), inputs, Options.DEFAULT);
    }

    /**
     * Gradient of a recorded scalar with respect to every entry of {@code wrt}, named like it;
     * entries the output does not reach get zeros.
     */
    public static Params grad(Var output, Params wrt, Options options) {
        return filled(wrt, grad(List.of(output), wrt.vars(), options.allowUnused()));
    }

    /** {@link #grad(Var, Params, Options)} with the default options (graph freed). */
    public static Params grad(Var output, Params wrt) {
        return grad(output, wrt, Options.DEFAULT);
    }

    // ---- function transforms ------------------------------------------------------------------

    /** The value of a scalar function and its gradient at a point. */
    public record ValueAndGrad(double value, Params grad) {
    }

    /** The value of a scalar function of two arguments and its partial gradients at a point. */
    public record Partials(double value, Params first, Params second) {
    }

    /** df/dx at {@code at}: f is evaluated once on fresh leaves holding the values of {@code at}. */
    public static Params grad(Function<Params, Var> f, Params at) {
        return valueAndGrad(f, at).grad();
    }

    /** f and df/dx at {@code at}, from one evaluation. */
    public static ValueAndGrad valueAndGrad(Function<Params, Var> f, Params at) {
        Params x = at.asLeaves();
        Var y = f.apply(x);
        return new ValueAndGrad(y.item(), grad(y, x));
    }

    /** f(x, y) with both partial gradients df/dx and df/dy at (x, y), from one evaluation. */
    public static Partials partials(BiFunction<Params, Params, Var> f, Params x, Params y) {
        Params xs = x.asLeaves();
        Params ys = y.asLeaves();
        Var value = f.apply(xs, ys);
        List<Var> all = new ArrayList<>(xs.vars());
        all.addAll(ys.vars());
        List<Var> g = grad(List.of(value), all, Options.DEFAULT.allowUnused());
        return new Partials(value.item(), filled(xs, g.subList(0, xs.size())), filled(ys, g.subList(xs.size(), g.size())));
    }

    /** The vector-Jacobian product u^T (df/dx) at {@code at}, for a function with any output shape. */
    public static Params vjp(Function<Params, Var> f, Params at, Tensor cotangent) {
        Params x = at.asLeaves();
        Var y = f.apply(x);
        return grad(y, x, Options.DEFAULT.seeds(List.of(Var.constant(cotangent))));
    }

    /**
     * The Jacobian-vector product (df/dx) t at {@code at}, by the double-vjp trick: u -> J^T u is
     * linear in u, so its vjp with cotangent t is J t. Two backward passes, no forward-mode rules.
     */
    public static Tensor jvp(Function<Params, Var> f, Params at, Params tangent) {
        Params x = at.asLeaves();
        Var y = f.apply(x);
        Var u = Var.leaf(Tensor.zeros(y.value().device(), y.dtype(), y.shape()));
        Params pullback = grad(y, x, Options.DEFAULT.seeds(List.of(u)).createGraph());
        Var inner = pullback.innerProduct(tangent);
        if (inner == null) {
            return Tensor.zeros(y.value().device(), y.dtype(), y.shape());
        }
        List<Var> jv = grad(List.of(inner), List.of(u), Options.DEFAULT.allowUnused());
        return jv.get(0) == null ? Tensor.zeros(y.value().device(), y.dtype(), y.shape()) : jv.get(0).value();
    }

    /** The Hessian-vector product (d^2 f/dx^2) v at {@code at}, by double backward; zeros where f does not reach. */
    public static Params hvp(Function<Params, Var> f, Params at, Params v) {
        Params x = at.asLeaves();
        return gradOfInner(grad(f.apply(x), x, Options.DEFAULT.createGraph()), v, x);
    }

    /**
     * The mixed second derivative d/dy &lt;dg/dx (x, y), q&gt; with q held constant: the term of the
     * implicit hypergradient that moves the inner gradient by the outer variables (MATH.md
     * section 1, step 4). Entries of y that g does not reach get zeros.
     */
    public static Params mixed(BiFunction<Params, Params, Var> g, Params x, Params y, Params q) {
        Params xs = x.asLeaves();
        Params ys = y.asLeaves();
        return gradOfInner(grad(g.apply(xs, ys), xs, Options.DEFAULT.createGraph()), q, ys);
    }

    /** Dense Jacobian [output size, input size] of a function of one tensor (small problems only). */
    public static Tensor jacobian(Function<Var, Var> f, Tensor x) {
        Var leaf = Var.leaf(x);
        Var y = f.apply(leaf);
        int rows = y.size();
        Tensor jac = Tensor.zeros(x.dtype(), rows, x.size());
        for (int r = 0; r < rows; r++) {
            Tensor e = Tensor.zeros(y.dtype(), y.shape());
            e.storage().setDouble(r, 1.0);
            Var row = grad(List.of(y), List.of(leaf), Options.DEFAULT.seeds(List.of(Var.constant(e))).retainGraph()
                    .allowUnused()).get(0);
            if (row != null) {
                copyRow(row.value(), jac, r);
            }
        }
        return jac;
    }

    /** Dense Hessian [n, n] of a scalar function of one tensor with n elements (small problems only). */
    public static Tensor hessian(Function<Var, Var> f, Tensor x) {
        Params leaf = Params.single("x", Var.leaf(x));
        Params g = grad(f.apply(leaf.get("x")), leaf, Options.DEFAULT.createGraph());
        int n = x.size();
        Tensor hess = Tensor.zeros(x.dtype(), n, n);
        for (int c = 0; c < n; c++) {
            Tensor e = Tensor.zeros(x.dtype(), x.shape());
            e.storage().setDouble(c, 1.0);
            Tensor column = gradOfInner(g, Params.constants(List.of("x"), List.of(e)), leaf).value("x");
            copyRow(column, hess, c); // symmetric: column c equals row c
        }
        return hess;
    }

    /**
     * d/d(wrt) of &lt;g, v&gt; for a recorded, differentiable g, with zeros where unreachable; the
     * graph of g is retained, so it may be called again with another v.
     */
    static Params gradOfInner(Params g, Params v, Params wrt) {
        Var inner = g.innerProduct(v);
        return inner == null ? wrt.zerosLike() : grad(inner, wrt, Options.DEFAULT.retainGraph());
    }

    /** Gradients named like {@code wrt}, with zeros for the nulls of unreachable entries. */
    private static Params filled(Params wrt, List<Var> grads) {
        List<Var> inputs = wrt.vars();
        List<Var> out = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            Var in = inputs.get(i);
            out.add(grads.get(i) != null ? grads.get(i) : Var.constant(Tensor.zeros(in.value().device(), in.dtype(), in.shape())));
        }
        return wrt.withVars(out);
    }

    private static void copyRow(Tensor src, Tensor matrix, int row) {
        int n = matrix.dim(1);
        for (int j = 0; j < n; j++) {
            matrix.storage().setDouble(row * n + j, src.storage().getDouble(j));
        }
    }

    private static void accumulate(Map<Var, Var> grads, Var v, Var g) {
        if (!g.shape().equals(v.shape())) {
            throw new IllegalStateException("gradient of shape " + g.shape() + " for a value of shape " + v.shape()
                    + (v.hasNode() ? " (op '" + v.node().op() + "')" : ""));
        }
        Var previous = grads.get(v);
        grads.put(v, previous == null ? g : previous.add(g));
    }

    /** Vars reachable from the outputs through recorded nodes, children before parents. */
    private static List<Var> postOrder(List<Var> outputs, Map<Var, Boolean> isInput) {
        List<Var> order = new ArrayList<>();
        IdentityHashMap<Var, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Var out : outputs) {
            if (!out.requiresGrad() || visited.containsKey(out)) {
                continue;
            }
            visited.put(out, Boolean.TRUE);
            stack.push(new Object[] {out, 0});
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Var v = (Var) frame[0];
                int next = (Integer) frame[1];
                Var[] in = v.hasNode() ? v.node().inputs() : new Var[0];
                if (next < in.length) {
                    frame[1] = next + 1;
                    Var child = in[next];
                    if (child.requiresGrad() && !visited.containsKey(child)) {
                        visited.put(child, Boolean.TRUE);
                        stack.push(new Object[] {child, 0});
                    }
                } else {
                    stack.pop();
                    order.add(v);
                }
            }
        }
        return order;
    }

    private static boolean anyNeeded(Var[] vars, Map<Var, Boolean> needed) {
        for (Var v : vars) {
            if (needed.containsKey(v)) {
                return true;
            }
        }
        return false;
    }

    /** Vars on some path to an input: only their gradients are worth computing. */
    private static IdentityHashMap<Var, Boolean> neededVars(List<Var> order, Map<Var, Boolean> isInput) {
        IdentityHashMap<Var, Boolean> needed = new IdentityHashMap<>();
        for (Var v : order) { // children come first
            boolean need = isInput.containsKey(v);
            if (!need && v.hasNode()) {
                need = anyNeeded(v.node().inputs(), needed);
            }
            if (need) {
                needed.put(v, Boolean.TRUE);
            }
        }
        return needed;
    }

    private static void validate(List<Var> outputs, List<Var> inputs, List<Var> gradOutputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("grad: no outputs to differentiate");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " (" + inputs.get(i).shape()
                        + ") does not require a gradient; create it with Var.leaf");
            }
        }
        if (gradOutputs != null) {
            requireSameLength("grad (outputs and gradOutputs)", outputs, gradOutputs);
        }
        for (int i = 0; i < outputs.size(); i++) {
            Var out = outputs.get(i);
            if (gradOutputs == null && out.size() != 1) {
                throw new IllegalArgumentException("grad: output " + i + " has shape " + out.shape()
                        + "; a non-scalar output needs gradOutputs");
            }
            if (gradOutputs != null && !gradOutputs.get(i).shape().equals(out.shape())) {
                throw new IllegalArgumentException("grad: gradOutputs[" + i + "] has shape "
                        + gradOutputs.get(i).shape() + " but output " + i + " has shape " + out.shape());
            }
        }
    }

    private static void requireSameLength(String op, List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": lists differ in length (" + a.size() + " and " + b.size() + ")");
        }
    }
}
