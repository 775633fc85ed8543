package dev.hyperkron.autodiff;

import dev.hyperkron.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reverse-mode differentiation of recorded graphs, in the spirit of {@code torch.autograd.grad}
 * and JAX's transforms. Backward rules are written with Var ops, so a backward pass run with
 * {@code createGraph = true} is itself a graph: that gives Hessian-vector products and mixed
 * second derivatives by differentiating twice.
 */
public final class Grad {
    private Grad() {
    }

    /**
     * Gradients of the outputs with respect to the inputs.
     *
     * @param outputs     the differentiated Vars
     * @param inputs      the Vars to differentiate with respect to (leaves or intermediate)
     * @param gradOutputs one cotangent per output (same shape), or null to seed each (scalar)
     *                    output with 1; cotangents may themselves require gradients
     * @param createGraph record the backward pass so that the result can be differentiated again
     * @param retainGraph keep the graph alive for another backward pass; when false, the nodes
     *                    traversed are freed (and their saved tensors with them)
     * @param allowUnused return null for an input the outputs do not depend on, instead of failing
     * @return one gradient per input, with the input's shape
     */
    public static List<Var> grad(List<Var> outputs, List<Var> inputs, List<Var> gradOutputs,
                                 boolean createGraph, boolean retainGraph, boolean allowUnused) {
        validate(outputs, inputs, gradOutputs);
        IdentityHashMap<Var, Boolean> isInput = new IdentityHashMap<>();
        for (Var in : inputs) {
            isInput.put(in, Boolean.TRUE);
        }
        List<Var> order = postOrder(outputs, isInput);
        IdentityHashMap<Var, Boolean> needed = neededVars(order, isInput);

        IdentityHashMap<Var, Var> grads = new IdentityHashMap<>();
        boolean previous = GradMode.set(createGraph);
        try {
            for (int i = 0; i < outputs.size(); i++) {
                Var out = outputs.get(i);
                if (needed.containsKey(out)) {
                    Var seed = gradOutputs == null ? Var.constant(Tensor.full(out.dtype(), 1.0, out.shape()))
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
        if (!retainGraph) {
            for (Var v : order) {
                if (v.hasNode()) {
                    v.node().free();
                }
            }
        }
        List<Var> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Var g = grads.get(inputs.get(i));
            if (g == null && !allowUnused) {
                throw new IllegalArgumentException("input " + i + " (" + inputs.get(i).shape()
                        + ") is not reachable from the outputs; pass allowUnused = true to get null for it");
            }
            result.add(g);
        }
        return result;
    }

    /** Gradient of a scalar with respect to the inputs, without recording (graph freed). */
    public static List<Var> grad(Var output, List<Var> inputs) {
        return grad(List.of(output), inputs, null, false, false, false);
    }

    /** Gradient of a scalar; with {@code createGraph} the result is differentiable and the graph is kept. */
    public static List<Var> grad(Var output, List<Var> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /** Vector-Jacobian product u^T J of output with respect to the inputs (null where unused). */
    public static List<Var> vjp(Var output, List<Var> inputs, Var cotangent, boolean createGraph) {
        return grad(List.of(output), inputs, List.of(cotangent), createGraph, true, true);
    }

    /**
     * Jacobian-vector product J v, by the double-vjp trick: u -> J^T u is linear in u, so its
     * vjp with cotangent v is J v. Costs two backward passes and needs no forward-mode rules;
     * the output's graph is retained.
     */
    public static Var jvp(Var output, List<Var> inputs, List<Var> tangents, boolean createGraph) {
        requireSameLength("jvp", inputs, tangents);
        Var u = Var.leaf(Tensor.zeros(output.dtype(), output.shape()));
        List<Var> pullback = grad(List.of(output), inputs, List.of(u), true, true, true);
        Var inner = dotAll(pullback, tangents);
        if (inner == null) {
            return Var.constant(Tensor.zeros(output.dtype(), output.shape()));
        }
        List<Var> jv = grad(List.of(inner), List.of(u), null, createGraph, createGraph, true);
        return jv.get(0) == null ? Var.constant(Tensor.zeros(output.dtype(), output.shape())) : jv.get(0);
    }

    /**
     * Hessian-vector product H v of a scalar loss recorded with {@code params} as leaves:
     * differentiate, dot with v, differentiate again. Parameters the loss does not reach get a
     * zero block. The loss's graph is retained, so it may be called again with another v.
     */
    public static List<Var> hvp(Var loss, List<Var> params, List<Var> v) {
        requireSameLength("hvp", params, v);
        List<Var> g = grad(List.of(loss), params, null, true, true, true);
        return gradOfDot(g, v, params);
    }

    /** H v of {@code f} at {@code params}, JAX style: the function is evaluated on fresh leaves. */
    public static List<Tensor> hvp(Function<List<Var>, Var> f, List<Tensor> params, List<Tensor> v) {
        List<Var> leaves = leaves(params);
        List<Var> hv = hvp(f.apply(leaves), leaves, constants(v));
        return values(hv);
    }

    /**
     * The mixed second derivative d/dlambda < dg/dtheta, q > with q held constant: the term
     * of the implicit hypergradient that moves the inner gradient by the outer variables.
     * Outer variables the inner loss does not reach get zeros.
     */
    public static List<Var> mixedVjp(Var innerLoss, List<Var> theta, List<Var> lambda, List<Var> q) {
        requireSameLength("mixedVjp", theta, q);
        List<Var> g = grad(List.of(innerLoss), theta, null, true, true, true);
        return gradOfDot(g, q, lambda);
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
            Var row = vjp(y, List.of(leaf), Var.constant(e), false).get(0);
            if (row != null) {
                copyRow(row.value(), jac, r);
            }
        }
        return jac;
    }

    /** Dense Hessian [n, n] of a scalar function of one tensor with n elements (small problems only). */
    public static Tensor hessian(Function<Var, Var> f, Tensor x) {
        Var leaf = Var.leaf(x);
        Var loss = f.apply(leaf);
        List<Var> g = grad(List.of(loss), List.of(leaf), null, true, true, true);
        int n = x.size();
        Tensor hess = Tensor.zeros(x.dtype(), n, n);
        if (g.get(0) == null) {
            return hess;
        }
        for (int c = 0; c < n; c++) {
            Tensor e = Tensor.zeros(x.dtype(), x.shape());
            e.storage().setDouble(c, 1.0);
            Var col = gradOfDot(g, List.of(Var.constant(e)), List.of(leaf)).get(0);
            copyRow(col.value(), hess, c); // symmetric: column c equals row c
        }
        return hess;
    }

    /** The gradients with each null (an unused input) replaced by zeros of the input's shape. */
    public static List<Var> orZeros(List<Var> grads, List<Var> inputs) {
        requireSameLength("orZeros", grads, inputs);
        List<Var> out = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            Var in = inputs.get(i);
            out.add(grads.get(i) != null ? grads.get(i) : Var.constant(Tensor.zeros(in.dtype(), in.shape())));
        }
        return out;
    }

    /** Fresh leaves that require gradients, one per tensor. */
    public static List<Var> leaves(List<Tensor> values) {
        List<Var> out = new ArrayList<>(values.size());
        for (Tensor t : values) {
            out.add(Var.leaf(t));
        }
        return out;
    }

    /** Constants, one per tensor. */
    public static List<Var> constants(List<Tensor> values) {
        List<Var> out = new ArrayList<>(values.size());
        for (Tensor t : values) {
            out.add(Var.constant(t));
        }
        return out;
    }

    /** The values of Vars (null stays null). */
    public static List<Tensor> values(List<Var> vars) {
        List<Tensor> out = new ArrayList<>(vars.size());
        for (Var v : vars) {
            out.add(v == null ? null : v.value());
        }
        return out;
    }

    // d/d(wrt) of sum_i <g_i, v_i>, zeros where unreachable, graph retained for reuse.
    private static List<Var> gradOfDot(List<Var> g, List<Var> v, List<Var> wrt) {
        Var inner = dotAll(g, v);
        List<Var> result = inner == null ? Arrays.asList(new Var[wrt.size()])
                : grad(List.of(inner), wrt, null, false, true, true);
        List<Var> filled = new ArrayList<>(wrt.size());
        for (int i = 0; i < wrt.size(); i++) {
            Var r = result.get(i);
            filled.add(r != null ? r : Var.constant(Tensor.zeros(wrt.get(i).dtype(), wrt.get(i).shape())));
        }
        return filled;
    }

    private static Var dotAll(List<Var> a, List<Var> b) {
        Var total = null;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) == null) {
                continue;
            }
            if (!a.get(i).shape().equals(b.get(i).shape())) {
                throw new IllegalArgumentException("vector entry " + i + " has shape " + b.get(i).shape()
                        + " but the gradient has shape " + a.get(i).shape());
            }
            Var d = a.get(i).dot(b.get(i));
            total = total == null ? d : total.add(d);
        }
        return total;
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
