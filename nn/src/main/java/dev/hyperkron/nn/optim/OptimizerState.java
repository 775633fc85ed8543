package dev.hyperkron.nn.optim;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.core.Device;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an optimizer: its kind ("sgd", "adam"), named tensors (running statistics, e.g.
 * "momentum.fc.weight") and named scalars (step counts and hyperparameters). Only strings,
 * doubles and tensors, so that a checkpoint can store it as a safetensors file: the tensors as
 * tensors, the kind and the scalars (printed with {@link Double#toString}, which round-trips
 * exactly) as metadata.
 *
 * <p>The state owns copies of the tensors it is built from; the tensors it hands out belong to
 * it and must not be modified.
 */
public final class OptimizerState {
    private final String kind;
    private final Map<String, Tensor> tensors;
    private final Map<String, Double> scalars;

    /** A state holding copies of {@code tensors}; both maps keep their iteration order. */
    public OptimizerState(String kind, Map<String, Tensor> tensors, Map<String, Double> scalars) {
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("optimizer state: the kind must be a non-empty string, got '" + kind + "'");
        }
        LinkedHashMap<String, Tensor> tensorCopies = new LinkedHashMap<>();
        tensors.forEach((name, t) -> tensorCopies.put(checkName(kind, name), nonNull(kind, "tensor", name, t).copy()));
        LinkedHashMap<String, Double> scalarCopies = new LinkedHashMap<>();
        scalars.forEach((name, v) -> scalarCopies.put(checkName(kind, name), nonNull(kind, "scalar", name, v)));
        this.kind = kind;
        this.tensors = Collections.unmodifiableMap(tensorCopies);
        this.scalars = Collections.unmodifiableMap(scalarCopies);
    }

    /** This state with its tensors on {@code device} (itself when they are all there already). */
    public OptimizerState to(Device device) {
        if (tensors.values().stream().allMatch(t -> t.device() == device)) {
            return this;
        }
        LinkedHashMap<String, Tensor> moved = new LinkedHashMap<>();
        tensors.forEach((name, t) -> moved.put(name, t.to(device)));
        return new OptimizerState(kind, moved, scalars);
    }

    /** Which optimizer wrote this state: only that kind can restore it. */
    public String kind() {
        return kind;
    }

    /** All named tensors, in order (read only; the tensors belong to this state). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** All named scalars, in order. */
    public Map<String, Double> scalars() {
        return scalars;
    }

    /** The tensor with this name; the exception lists the names that exist. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(kind + " state has no tensor '" + name + "'; it has " + tensors.keySet());
        }
        return t;
    }

    /** The scalar with this name; the exception lists the names that exist. */
    public double scalar(String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalArgumentException(kind + " state has no scalar '" + name + "'; it has " + scalars.keySet());
        }
        return v;
    }

    /** A yes/no scalar, stored as 1 or 0. */
    public boolean flag(String name) {
        double v = scalar(name);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException(kind + " state: scalar '" + name + "' is a flag (0 or 1), got " + v);
        }
        return v == 1;
    }

    /** The scalar encoding of a flag. */
    static double flagValue(boolean flag) {
        return flag ? 1 : 0;
    }

    /** Throws unless this state was written by an optimizer of kind {@code expected}. */
    void requireKind(String op, String expected) {
        if (!kind.equals(expected)) {
            throw new IllegalArgumentException(op + ": cannot restore a '" + kind + "' state, expected '" + expected + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && s.kind.equals(kind) && s.tensors.equals(tensors)
                && s.scalars.equals(scalars);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, tensors.keySet(), scalars);
    }

    @Override
    public String toString() {
        return "OptimizerState{" + kind + ", tensors " + tensors.keySet() + ", scalars " + scalars + "}";
    }

    private static <T> T nonNull(String kind, String what, String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " state: " + what + " '" + name + "' is null");
        }
        return value;
    }

    private static String checkName(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(kind + " state: entry names must be non-empty, got '" + name + "'");
        }
        return name;
    }
}
