package dev.hyperkron.nn.optim;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.autodiff.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, and AdamW when {@link AdamSettings#decoupledWeightDecay()} is set, following PyTorch's
 * {@code torch.optim.Adam}/{@code AdamW} update step for step. Per parameter, at its step t:
 * <pre>
 *   AdamW: p &lt;- p (1 - lr wd)          Adam: g &lt;- g + wd p
 *   m &lt;- beta1 m + (1 - beta1) g
 *   v &lt;- beta2 v + (1 - beta2) g^2
 *   vMax &lt;- max(vMax, v)               (amsgrad; the denominator then uses vMax)
 *   p &lt;- p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>State per parameter name: tensors "adam.m.&lt;name&gt;", "adam.v.&lt;name&gt;" (and
 * "adam.v_max.&lt;name&gt;" with amsgrad), and the scalar "adam.step.&lt;name&gt;". Step counts
 * are per parameter, as in PyTorch, so a parameter that joins later starts its own bias
 * correction.
 */
public final class Adam implements Optimizer {
    static final String KIND = "adam";
    private static final String M = "adam.m.";
    private static final String V = "adam.v.";
    private static final String V_MAX = "adam.v_max.";
    private static final String STEP = "adam.step.";

    /** The running statistics of one parameter. */
    private static final class Moments {
        long steps;
        final Tensor m;
        final Tensor v;
        Tensor vMax;

        Moments(long steps, Tensor m, Tensor v, Tensor vMax) {
            this.steps = steps;
            this.m = m;
            this.v = v;
            this.vMax = vMax;
        }
    }

    private AdamSettings settings;
    private final Map<String, Moments> moments = new LinkedHashMap<>();

    public Adam(AdamSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("Adam: settings is null");
        }
        this.settings = settings;
    }

    /** The current hyperparameters (the learning rate is the latest one set). */
    public AdamSettings settings() {
        return settings;
    }

    @Override
    public Params step(Params params, Params grads) {
        String op = name() + ".step";
        ParamGradients.requireMatching(op, params, grads);
        requireMomentsMatch(op, params);
        AdamSettings s = settings;
        double lr = s.learningRate();
        List<Tensor> updated = new ArrayList<>(params.size());
        for (String name : params.names()) {
            Tensor p = params.get(name).value();
            Tensor g = grads.get(name).value();
            Moments st = moments.computeIfAbsent(name, n -> new Moments(0, Tensor.zeros(p.device(), p.dtype(), p.shape()),
                    Tensor.zeros(p.device(), p.dtype(), p.shape()), s.amsgrad() ? Tensor.zeros(p.device(), p.dtype(), p.shape()) : null));
            st.steps++;
            Tensor next = p.copy();
            if (s.weightDecay() != 0) {
                if (s.decoupledWeightDecay()) {
                    next.scaleInPlace(1 - lr * s.weightDecay());
                } else {
                    g = g.copy().axpyInPlace(s.weightDecay(), p);
                }
            }
            st.m.scaleInPlace(s.beta1()).axpyInPlace(1 - s.beta1(), g);
            st.v.scaleInPlace(s.beta2()).axpyInPlace(1 - s.beta2(), g.square());
            if (s.amsgrad()) {
                st.vMax = st.vMax.maximum(st.v);
            }
            double stepSize = lr / (1 - Math.pow(s.beta1(), st.steps));
            updated.add(next.axpyInPlace(-stepSize, st.m.div(denominator(st, s))));
        }
        return params.withValues(updated);
    }

    /** {@code direction / (sqrt(v / (1 - beta2^t)) + eps)} per parameter, with the latest v (vMax with amsgrad). */
    @Override
    public Params adaptiveScaling(Params direction) {
        return direction.mapNamed((name, d) -> {
            Moments st = moments.get(name);
            if (st == null) {
                return d;
            }
            return Var.constant(d.value().div(denominator(st, settings)));
        });
    }

    /** sqrt(v-hat) + eps of a parameter's latest step: what its update divides the first moment by. */
    private static Tensor denominator(Moments st, AdamSettings s) {
        Tensor second = s.amsgrad() ? st.vMax : st.v;
        return second.sqrt().div(Math.sqrt(1 - Math.pow(s.beta2(), st.steps))).add(s.eps());
    }

    @Override
    public double learningRate() {
        return settings.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        settings = settings.withLearningRate(learningRate);
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("lr", settings.learningRate());
        scalars.put("beta1", settings.beta1());
        scalars.put("beta2", settings.beta2());
        scalars.put("eps", settings.eps());
        scalars.put("weight_decay", settings.weightDecay());
        scalars.put("decoupled_weight_decay", OptimizerState.flagValue(settings.decoupledWeightDecay()));
        scalars.put("amsgrad", OptimizerState.flagValue(settings.amsgrad()));
        moments.forEach((name, st) -> {
            scalars.put(STEP + name, (double) st.steps);
            tensors.put(M + name, st.m);
            tensors.put(V + name, st.v);
            if (st.vMax != null) {
                tensors.put(V_MAX + name, st.vMax);
            }
        });
        return new OptimizerState(KIND, tensors, scalars);
    }

    @Override
    public void restore(OptimizerState state) {
        String op = name() + ".restore";
        state.requireKind(op, KIND);
        AdamSettings restored = new AdamSettings(state.scalar("lr"), state.scalar("beta1"), state.scalar("beta2"),
                state.scalar("eps"), state.scalar("weight_decay"), state.flag("decoupled_weight_decay"),
                state.flag("amsgrad"));
        Map<String, Moments> restoredMoments = new LinkedHashMap<>();
        state.scalars().forEach((key, value) -> {
            if (key.startsWith(STEP)) {
                String name = key.substring(STEP.length());
                if (!(value >= 1) || value != Math.rint(value) || value > 1L << 53) {
                    throw new IllegalArgumentException(op + ": step count of '" + name
                            + "' must be a positive integer, got " + value);
                }
                Tensor m = state.tensor(M + name);
                Tensor v = state.tensor(V + name);
                Tensor vMax = restored.amsgrad() ? state.tensor(V_MAX + name) : null;
                requireSameLayout(op, name, m, v, vMax);
                restoredMoments.put(name, new Moments(value.longValue(), m.copy(), v.copy(),
                        vMax == null ? null : vMax.copy()));
            }
        });
        for (String key : state.tensors().keySet()) {
            if (!isStatistic(key, restoredMoments, restored.amsgrad())) {
                throw new IllegalArgumentException(op + ": unexpected tensor '" + key + "' in the state; expected "
                        + M + ", " + V + (restored.amsgrad() ? ", " + V_MAX : "")
                        + " followed by a parameter name that has a " + STEP + " count");
            }
        }
        settings = restored;
        moments.clear();
        moments.putAll(restoredMoments);
    }

    private static boolean isStatistic(String key, Map<String, Moments> restored, boolean amsgrad) {
        for (String prefix : amsgrad ? List.of(M, V, V_MAX) : List.of(M, V)) {
            if (key.startsWith(prefix) && restored.containsKey(key.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static void requireSameLayout(String op, String name, Tensor m, Tensor v, Tensor vMax) {
        for (Tensor t : vMax == null ? List.of(v) : List.of(v, vMax)) {
            if (!t.shape().equals(m.shape()) || t.dtype() != m.dtype()) {
                throw new IllegalArgumentException(op + ": the moment estimates of '" + name + "' disagree: "
                        + m.dtype() + " " + m.shape() + " and " + t.dtype() + " " + t.shape());
            }
        }
    }

    // Checked before any statistic changes, so that a failing step leaves the optimizer as it was.
    private void requireMomentsMatch(String op, Params params) {
        for (String name : params.names()) {
            Moments st = moments.get(name);
            Tensor p = params.get(name).value();
            if (st != null && (!st.m.shape().equals(p.shape()) || st.m.dtype() != p.dtype())) {
                throw new IllegalArgumentException(op + ": the moment estimates of '" + name + "' are " + st.m.dtype()
                        + " " + st.m.shape() + " but the parameter is " + p.dtype() + " " + p.shape()
                        + " (was the state restored from another model?)");
            }
        }
    }

    private String name() {
        return settings.decoupledWeightDecay() ? "AdamW" : "Adam";
    }
}
