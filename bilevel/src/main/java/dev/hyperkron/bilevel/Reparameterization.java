package dev.hyperkron.bilevel;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import dev.hyperkron.core.Tensor;

/**
 * A smooth map from an unconstrained raw outer variable to the value the problem uses, so that
 * the outer optimizer can step freely while the value stays in its domain (positive weights,
 * probabilities, scales spanning decades). {@link #forward} is differentiable; {@link #inverse}
 * turns a desired initial value into the raw variable that produces it.
 */
public enum Reparameterization {
    /** value = raw, any real value. */
    IDENTITY("(-inf, inf)") {
        @Override
        public Var forward(Var raw) {
            return raw;
        }

        @Override
        double inverse(double value) {
            return value;
        }

        @Override
        boolean inDomain(double value) {
            return !Double.isNaN(value);
        }
    },
    /** value = log(1 + e^raw), positive; close to raw for large raw, unlike EXP it grows linearly. */
    SOFTPLUS("(0, inf)") {
        @Override
        public Var forward(Var raw) {
            return raw.softplus();
        }

        @Override
        double inverse(double value) {
            // log(e^y - 1) = y + log(1 - e^-y), accurate both for tiny y (log y) and large y (y).
            return value + Math.log(-Math.expm1(-value));
        }

        @Override
        boolean inDomain(double value) {
            return value > 0 && value < Double.POSITIVE_INFINITY;
        }
    },
    /** value = 1 / (1 + e^-raw), in (0, 1): weights or probabilities. */
    SIGMOID("(0, 1)") {
        @Override
        public Var forward(Var raw) {
            return raw.sigmoid();
        }

        @Override
        double inverse(double value) {
            return Math.log(value) - Math.log1p(-value);
        }

        @Override
        boolean inDomain(double value) {
            return value > 0 && value < 1;
        }
    },
    /** value = e^raw, positive: raw is the value in log space (weight decays, learning rates). */
    EXP("(0, inf)") {
        @Override
        public Var forward(Var raw) {
            return raw.exp();
        }

        @Override
        double inverse(double value) {
            return Math.log(value);
        }

        @Override
        boolean inDomain(double value) {
            return value > 0 && value < Double.POSITIVE_INFINITY;
        }
    };

    private final String domain;

    Reparameterization(String domain) {
        this.domain = domain;
    }

    /** The value for a raw variable, differentiable with respect to it (elementwise, same shape and dtype). */
    public abstract Var forward(Var raw);

    abstract double inverse(double value);

    abstract boolean inDomain(double value);

    /** The interval the values lie in, e.g. "(0, inf)". */
    public String domain() {
        return domain;
    }

    /** Every entry of {@code raw} mapped by {@link #forward(Var)}, names kept (differentiable). */
    public Params forward(Params raw) {
        return raw.map(this::forward);
    }

    /** The value for a raw tensor, without a graph: what results report. */
    public Tensor forward(Tensor raw) {
        return forward(Var.constant(raw)).value();
    }

    /**
     * The raw tensor whose forward image is {@code value} (same shape and dtype, computed in
     * F64), for initialization. Throws IllegalArgumentException naming the first element outside
     * {@link #domain()}.
     */
    public Tensor inverse(Tensor value) {
        if (!value.dtype().isFloating()) {
            throw new IllegalArgumentException(this + ".inverse: needs a floating tensor, got " + value.dtype());
        }
        double[] v = value.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!inDomain(v[i])) {
                throw new IllegalArgumentException(this + ".inverse: value " + v[i] + " at element " + i + " of "
                        + value.shape() + " is outside the domain " + domain);
            }
            v[i] = inverse(v[i]);
        }
        return Tensor.of(v).reshape(value.shape()).cast(value.dtype());
    }
}
