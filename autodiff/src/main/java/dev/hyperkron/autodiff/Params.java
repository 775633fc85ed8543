package dev.hyperkron.autodiff;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one parameter space of Hyperkron: an immutable, ordered map from a PyTorch-style dotted
 * path ("features.0.weight") to a {@link Var}. Modules take it, gradients and function
 * transforms return it, curvature operators and IHVP solvers act on it, optimizers update it and
 * checkpoints store it. Every transformation returns new Params, so a training step, an unrolled
 * inner step or a hypergradient simply passes different Params to the same module.
 *
 * <p>Besides the tree operations (child, prefixed, merge, map) it is a vector space: dot, norm,
 * axpy, scale, zerosLike, zip, flatten/unflatten. These act on the values, accumulate reductions
 * in double and return constants, cut from every graph; {@link #innerProduct} is the recorded
 * (differentiable) dot product.
 */
public final class Params {
    private static final Params EMPTY = new Params(new LinkedHashMap<>());

    private final Map<String, Var> entries;

    private Params(LinkedHashMap<String, Var> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static Params empty() {
        return EMPTY;
    }

    /** Params with the given entries, in the map's iteration order. */
    public static Params of(Map<String, Var> entries) {
        LinkedHashMap<String, Var> copy = new LinkedHashMap<>();
        entries.forEach((name, v) -> copy.put(checkName(name), Objects.requireNonNull(v, name)));
        return new Params(copy);
    }

    /** Leaves (requiring gradients) holding the given tensors, named in order. */
    public static Params leaves(List<String> names, List<Tensor> values) {
        return named(names, values, Var::leaf);
    }

    /** Constants holding the given tensors, named in order. */
    public static Params constants(List<String> names, List<Tensor> values) {
        return named(names, values, Var::constant);
    }

    private static Params named(List<String> names, List<Tensor> values, Function<Tensor, Var> wrap) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + values.size() + " tensors");
        }
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (map.put(checkName(names.get(i)), wrap.apply(values.get(i))) != null) {
                throw new IllegalArgumentException("duplicate parameter name '" + names.get(i) + "'");
            }
        }
        return new Params(map);
    }

    /** One-entry Params. */
    public static Params single(String name, Var value) {
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        map.put(checkName(name), Objects.requireNonNull(value, name));
        return new Params(map);
    }

    /** "prefix.name", or just name when the prefix is empty. */
    public static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** The parameter with this name; the exception lists the names that exist. */
    public Var get(String name) {
        Var v = entries.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; have " + entries.keySet());
        }
        return v;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public List<Var> vars() {
        return new ArrayList<>(entries.values());
    }

    public List<Tensor> values() {
        List<Tensor> out = new ArrayList<>(entries.size());
        for (Var v : entries.values()) {
            out.add(v.value());
        }
        return out;
    }

    /** Number of named tensors. */
    public int size() {
        return entries.size();
    }

    /** Total number of scalar parameters. */
    public long numel() {
        long n = 0;
        for (Var v : entries.values()) {
            n += v.size();
        }
        return n;
    }

    /** The common dtype (an exception when entries disagree or there are none). */
    public DType dtype() {
        DType d = null;
        for (Map.Entry<String, Var> e : entries.entrySet()) {
            if (d != null && e.getValue().dtype() != d) {
                throw new IllegalStateException("parameters mix dtypes: '" + e.getKey() + "' is " + e.getValue().dtype()
                        + ", earlier ones are " + d);
            }
            d = e.getValue().dtype();
        }
        if (d == null) {
            throw new IllegalStateException("no parameters");
        }
        return d;
    }

    /** The device of the values: the host when there are none; an exception when entries disagree. */
    public Device device() {
        Device d = null;
        for (Map.Entry<String, Var> e : entries.entrySet()) {
            Device here = e.getValue().value().device();
            if (d != null && here != d) {
                throw new IllegalStateException("parameters are on several devices: '" + e.getKey() + "' is on "
                        + here.name() + ", earlier ones on " + d.name());
            }
            d = here;
        }
        return d == null ? Device.host() : d;
    }

    /** The entries under {@code prefix} with the prefix stripped: a child module's view. */
    public Params child(String prefix) {
        String p = prefix + ".";
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        entries.forEach((name, v) -> {
            if (name.startsWith(p)) {
                map.put(name.substring(p.length()), v);
            }
        });
        return new Params(map);
    }

    /** Every name prefixed with {@code prefix}. */
    public Params prefixed(String prefix) {
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        entries.forEach((name, v) -> map.put(checkName(join(prefix, name)), v));
        return new Params(map);
    }

    /** This followed by {@code other}; names must not collide. */
    public Params merge(Params other) {
        LinkedHashMap<String, Var> map = new LinkedHashMap<>(entries);
        other.entries.forEach((name, v) -> {
            if (map.put(name, v) != null) {
                throw new IllegalArgumentException("duplicate parameter name '" + name + "' when merging");
            }
        });
        return new Params(map);
    }

    /** Same names, new Vars in the same order. */
    public Params withVars(List<Var> vars) {
        if (vars.size() != entries.size()) {
            throw new IllegalArgumentException("expected " + entries.size() + " values for " + entries.keySet()
                    + ", got " + vars.size());
        }
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Var> e : entries.entrySet()) {
            Var v = vars.get(i++);
            if (!v.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + e.getValue().shape()
                        + ", the new value has shape " + v.shape());
            }
            map.put(e.getKey(), v);
        }
        return new Params(map);
    }

    /** Same names, new tensors as fresh leaves. */
    public Params withValues(List<Tensor> values) {
        List<Var> vars = new ArrayList<>(values.size());
        for (Tensor t : values) {
            vars.add(Var.leaf(t));
        }
        return withVars(vars);
    }

    /** Applies {@code f} to every entry. */
    public Params map(UnaryOperator<Var> f) {
        return mapNamed((name, v) -> f.apply(v));
    }

    /** Applies {@code f(name, var)} to every entry. */
    public Params mapNamed(BiFunction<String, Var, Var> f) {
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        entries.forEach((name, v) -> map.put(name, f.apply(name, v)));
        return new Params(map);
    }

    /** The same values as fresh leaves: the starting point of a new differentiation. */
    public Params asLeaves() {
        return map(v -> Var.leaf(v.value()));
    }

    /** The same values as constants, cut from every graph. */
    public Params detached() {
        return map(Var::detach);
    }

    /** Deep copies of the values as fresh leaves (safe to modify in place). */
    public Params copy() {
        return map(v -> Var.leaf(v.value().copy()));
    }

    /** The value of the entry with this name. */
    public Tensor value(String name) {
        return get(name).value();
    }

    // ---- vector space -------------------------------------------------------------------------

    /** Zeros with the names, shapes and dtypes of this. */
    public Params zerosLike() {
        return mapValues(t -> Tensor.zeros(t.device(), t.dtype(), t.shape()));
    }

    /** The sum over entries of the elementwise products, accumulated in double. */
    public double dot(Params other) {
        requireAligned(other);
        double sum = 0;
        Iterator<Var> it = other.entries.values().iterator();
        for (Var v : entries.values()) {
            sum += v.value().dot(it.next().value());
        }
        return sum;
    }

    /** The Euclidean norm over all entries. */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** The cosine of the angle to {@code other}; 0 when either is zero. */
    public double cosine(Params other) {
        double denominator = norm() * other.norm();
        return denominator == 0 ? 0 : dot(other) / denominator;
    }

    /** this + alpha * x, as constants. */
    public Params axpy(double alpha, Params x) {
        return zip(x, (a, b) -> a.copy().axpyInPlace(alpha, b));
    }

    /** this + x, as constants. */
    public Params add(Params x) {
        return axpy(1.0, x);
    }

    /** this - x, as constants. */
    public Params sub(Params x) {
        return axpy(-1.0, x);
    }

    /** alpha * this, as constants. */
    public Params scale(double alpha) {
        return mapValues(t -> t.copy().scaleInPlace(alpha));
    }

    /** The same values in another dtype, as constants. */
    public Params cast(DType target) {
        return mapValues(t -> t.cast(target));
    }

    /**
     * The same values on {@code device}, as constants (a value already there is kept, not copied):
     * move a model's parameters to an accelerator once, and its forward and backward passes, HVPs
     * and optimizer steps stay there.
     */
    public Params to(Device device) {
        return mapValues(t -> t.to(device));
    }

    /** Applies {@code f} to every value; the results, as constants, keep the names. */
    public Params mapValues(UnaryOperator<Tensor> f) {
        return mapNamed((name, v) -> Var.constant(f.apply(v.value())));
    }

    /** f(this[name], other[name]) for every name, as constants; the two must be aligned. */
    public Params zip(Params other, BinaryOperator<Tensor> f) {
        requireAligned(other);
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        Iterator<Var> it = other.entries.values().iterator();
        entries.forEach((name, v) -> map.put(name, Var.constant(f.apply(v.value(), it.next().value()))));
        return new Params(map);
    }

    /**
     * The recorded dot product sum over entries of &lt;this[name], other[name]&gt;, differentiable
     * with respect to both (the building block of Hessian-vector products); null when there are no
     * entries.
     */
    public Var innerProduct(Params other) {
        requireAligned(other);
        Var total = null;
        Iterator<Var> it = other.entries.values().iterator();
        for (Var v : entries.values()) {
            Var d = v.dot(it.next());
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    /** All values concatenated row-major into one 1-D tensor (F64 when there are no entries). */
    public Tensor flatten() {
        if (entries.isEmpty()) {
            return Tensor.zeros(DType.F64, 0);
        }
        Tensor[] flat = new Tensor[entries.size()];
        int i = 0;
        for (Var v : entries.values()) {
            flat[i++] = v.value().flatten();
        }
        return Tensor.concat(0, flat);
    }

    /** A flat vector (as {@link #flatten} makes) split into the names, shapes and dtypes of this, as constants. */
    public Params unflatten(Tensor flat) {
        if (flat.size() != numel()) {
            throw new IllegalArgumentException("unflatten: the flat vector has " + flat.size()
                    + " elements, the layout " + layout() + " needs " + numel());
        }
        Tensor f = flat.flatten();
        LinkedHashMap<String, Var> map = new LinkedHashMap<>();
        int offset = 0;
        for (Map.Entry<String, Var> e : entries.entrySet()) {
            Tensor t = e.getValue().value();
            map.put(e.getKey(), Var.constant(f.slice(0, offset, offset + t.size()).reshape(t.shape()).cast(t.dtype())));
            offset += t.size();
        }
        return new Params(map);
    }

    /** Whether {@code other} has the same names, in the same order, with the same shapes. */
    public boolean isAlignedWith(Params other) {
        if (!entries.keySet().equals(other.entries.keySet()) || entries.size() != other.entries.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Var>> it = other.entries.entrySet().iterator();
        for (Map.Entry<String, Var> e : entries.entrySet()) {
            Map.Entry<String, Var> o = it.next();
            if (!e.getKey().equals(o.getKey()) || !e.getValue().shape().equals(o.getValue().shape())) {
                return false;
            }
        }
        return true;
    }

    /** Throws an IllegalArgumentException showing both layouts unless {@link #isAlignedWith}. */
    public void requireAligned(Params other) {
        if (!isAlignedWith(other)) {
            throw new IllegalArgumentException("parameter vectors are not aligned: " + layout() + " vs " + other.layout());
        }
    }

    /** "[name[shape], ...]", for messages. */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((name, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(v.shape()));
        return "[" + sb + "]";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Params{");
        entries.forEach((name, v) -> sb.append(sb.length() > 7 ? ", " : "").append(name).append(v.shape()));
        return sb.append('}').toString();
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException("invalid parameter name '" + name
                    + "': a path of non-empty segments separated by single dots, e.g. 'features.0.weight'");
        }
        return name;
    }
}
