package dev.hyperkron.kfac;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A vector in parameter space: one tensor per parameter, aligned with a parameter list by
 * name and shape. Curvature operators and solvers map ParamVectors to ParamVectors; the
 * vector-space operations return new vectors and accumulate reductions in double.
 */
public final class ParamVector {
    private final List<String> names;
    private final List<Tensor> blocks;

    private ParamVector(List<String> names, List<Tensor> blocks) {
        this.names = names;
        this.blocks = blocks;
    }

    /** Blocks named as given (same length). */
    public static ParamVector of(List<String> names, List<Tensor> blocks) {
        if (names.size() != blocks.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + blocks.size() + " blocks");
        }
        return new ParamVector(List.copyOf(names), List.copyOf(blocks));
    }

    /** The values of Params, aligned with them. */
    public static ParamVector of(Params params) {
        return new ParamVector(List.copyOf(params.names()), List.copyOf(params.values()));
    }

    /** The values of Vars (e.g. gradients) named after the Params they belong to; null Vars become zeros. */
    public static ParamVector of(Params params, List<Var> vars) {
        List<Tensor> blocks = new ArrayList<>(vars.size());
        List<Var> ps = params.vars();
        if (ps.size() != vars.size()) {
            throw new IllegalArgumentException(ps.size() + " parameters but " + vars.size() + " vectors");
        }
        for (int i = 0; i < vars.size(); i++) {
            blocks.add(vars.get(i) == null ? Tensor.zeros(ps.get(i).dtype(), ps.get(i).shape()) : vars.get(i).value());
        }
        return new ParamVector(List.copyOf(params.names()), List.copyOf(blocks));
    }

    /** Zeros shaped like {@code template}. */
    public static ParamVector zerosLike(ParamVector template) {
        List<Tensor> blocks = new ArrayList<>(template.blocks.size());
        for (Tensor t : template.blocks) {
            blocks.add(Tensor.zeros(t.dtype(), t.shape()));
        }
        return new ParamVector(template.names, blocks);
    }

    /** Splits a flat vector (concatenated row-major blocks) into the layout of {@code template}. */
    public static ParamVector fromFlat(ParamVector template, Tensor flat) {
        if (flat.size() != template.size()) {
            throw new IllegalArgumentException("flat vector has " + flat.size() + " elements, the layout needs "
                    + template.size());
        }
        Tensor f = flat.flatten();
        List<Tensor> blocks = new ArrayList<>();
        int offset = 0;
        for (Tensor t : template.blocks) {
            blocks.add(f.slice(0, offset, offset + t.size()).reshape(t.shape()).cast(t.dtype()));
            offset += t.size();
        }
        return new ParamVector(template.names, blocks);
    }

    public List<String> names() {
        return names;
    }

    public List<Tensor> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    public Tensor block(int i) {
        return blocks.get(i);
    }

    /** The block of the parameter with this name. */
    public Tensor block(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no block named '" + name + "'; have " + names);
        }
        return blocks.get(i);
    }

    public int numBlocks() {
        return blocks.size();
    }

    /** Total number of elements. */
    public int size() {
        int n = 0;
        for (Tensor t : blocks) {
            n += t.size();
        }
        return n;
    }

    public DType dtype() {
        return blocks.isEmpty() ? DType.F64 : blocks.get(0).dtype();
    }

    /** Constants for use in a differentiated expression. */
    public List<Var> asConstants() {
        List<Var> out = new ArrayList<>(blocks.size());
        for (Tensor t : blocks) {
            out.add(Var.constant(t));
        }
        return out;
    }

    public double dot(ParamVector other) {
        requireAligned(other);
        double sum = 0;
        for (int i = 0; i < blocks.size(); i++) {
            sum += blocks.get(i).dot(other.blocks.get(i));
        }
        return sum;
    }

    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** cos of the angle to other; 0 when either vector is zero. */
    public double cosine(ParamVector other) {
        double denom = norm() * other.norm();
        return denom == 0 ? 0 : dot(other) / denom;
    }

    /** this + alpha * x. */
    public ParamVector axpy(double alpha, ParamVector x) {
        requireAligned(x);
        List<Tensor> out = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            out.add(blocks.get(i).copy().axpyInPlace(alpha, x.blocks.get(i)));
        }
        return new ParamVector(names, out);
    }

    public ParamVector add(ParamVector x) {
        return axpy(1.0, x);
    }

    public ParamVector sub(ParamVector x) {
        return axpy(-1.0, x);
    }

    public ParamVector scale(double alpha) {
        List<Tensor> out = new ArrayList<>(blocks.size());
        for (Tensor t : blocks) {
            out.add(t.copy().scaleInPlace(alpha));
        }
        return new ParamVector(names, out);
    }

    /** The same blocks in another dtype. */
    public ParamVector cast(DType dtype) {
        List<Tensor> out = new ArrayList<>(blocks.size());
        for (Tensor t : blocks) {
            out.add(t.cast(dtype));
        }
        return new ParamVector(names, out);
    }

    /** All blocks concatenated row-major into one 1-D tensor. */
    public Tensor toFlat() {
        if (blocks.isEmpty()) {
            return Tensor.zeros(DType.F64, 0);
        }
        Tensor[] flat = new Tensor[blocks.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = blocks.get(i).flatten();
        }
        return Tensor.concat(0, flat);
    }

    /** Whether other has the same names and block shapes. */
    public boolean isAlignedWith(ParamVector other) {
        if (!names.equals(other.names)) {
            return false;
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).shape().equals(other.blocks.get(i).shape())) {
                return false;
            }
        }
        return true;
    }

    void requireAligned(ParamVector other) {
        if (!isAlignedWith(other)) {
            throw new IllegalArgumentException("parameter vectors are not aligned: " + layout() + " vs " + other.layout());
        }
    }

    /** "name[shape], ..." for messages. */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            Shape s = blocks.get(i).shape();
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(s);
        }
        return "[" + sb + "]";
    }

    @Override
    public String toString() {
        return "ParamVector" + layout();
    }
}
