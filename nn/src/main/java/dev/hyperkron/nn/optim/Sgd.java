package dev.hyperkron.nn.optim;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay,
 * following the update of PyTorch's {@code torch.optim.SGD} step for step: with
 * {@code d = g + weightDecay * p}, the momentum buffer starts as {@code d} on a parameter's first
 * step and then becomes {@code momentum * buf + (1 - dampening) * d}; the step direction is
 * {@code d + momentum * buf} (Nesterov) or {@code buf}, and {@code p <- p - lr * direction}.
 *
 * <p>State: one momentum buffer per parameter name ("momentum.&lt;name&gt;"), created on the
 * parameter's first step when momentum is on.
 */
public final class Sgd implements Optimizer {
    static final String KIND = "sgd";
    private static final String MOMENTUM = "momentum.";

    private SgdSettings settings;
    private final Map<String, Tensor> momentumBuffers = new LinkedHashMap<>();

    public Sgd(SgdSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("Sgd: settings is null");
        }
        this.settings = settings;
    }

    /** The current hyperparameters (the learning rate is the latest one set). */
    public SgdSettings settings() {
        return settings;
    }

    @Override
    public Params step(Params params, Params grads) {
        ParamGradients.requireMatching("Sgd.step", params, grads);
        requireBuffersMatch(params);
        double lr = settings.learningRate();
        double momentum = settings.momentum();
        List<Tensor> updated = new ArrayList<>(params.size());
        for (String name : params.names()) {
            Tensor p = params.get(name).value();
            Tensor direction = grads.get(name).value();
            if (settings.weightDecay() != 0) {
                direction = direction.copy().axpyInPlace(settings.weightDecay(), p);
            }
            if (momentum != 0) {
                Tensor buffer = momentumBuffers.get(name);
                if (buffer == null) {
                    buffer = direction.copy();
                    momentumBuffers.put(name, buffer);
                } else {
                    buffer.scaleInPlace(momentum).axpyInPlace(1 - settings.dampening(), direction);
                }
                direction = settings.nesterov() ? direction.copy().axpyInPlace(momentum, buffer) : buffer;
            }
            updated.add(p.copy().axpyInPlace(-lr, direction));
        }
        return params.withValues(updated);
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
        momentumBuffers.forEach((name, buffer) -> tensors.put(MOMENTUM + name, buffer));
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("lr", settings.learningRate());
        scalars.put("momentum", settings.momentum());
        scalars.put("dampening", settings.dampening());
        scalars.put("nesterov", OptimizerState.flagValue(settings.nesterov()));
        scalars.put("weight_decay", settings.weightDecay());
        return new OptimizerState(KIND, tensors, scalars);
    }

    @Override
    public void restore(OptimizerState state) {
        state.requireKind("Sgd.restore", KIND);
        SgdSettings restored = new SgdSettings(state.scalar("lr"), state.scalar("momentum"), state.scalar("dampening"),
                state.flag("nesterov"), state.scalar("weight_decay"));
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        state.tensors().forEach((key, tensor) -> {
            if (!key.startsWith(MOMENTUM) || key.length() == MOMENTUM.length()) {
                throw new IllegalArgumentException("Sgd.restore: unexpected tensor '" + key
                        + "' in the state; SGD only keeps '" + MOMENTUM + "<parameter name>'");
            }
            buffers.put(key.substring(MOMENTUM.length()), tensor.copy());
        });
        if (restored.momentum() == 0 && !buffers.isEmpty()) {
            throw new IllegalArgumentException("Sgd.restore: the state has momentum 0 but holds momentum buffers for "
                    + buffers.keySet());
        }
        settings = restored;
        momentumBuffers.clear();
        momentumBuffers.putAll(buffers);
    }

    // Checked before any buffer changes, so that a failing step leaves the optimizer as it was.
    private void requireBuffersMatch(Params params) {
        for (String name : params.names()) {
            Tensor buffer = momentumBuffers.get(name);
            Tensor p = params.get(name).value();
            if (buffer != null && (!buffer.shape().equals(p.shape()) || buffer.dtype() != p.dtype())) {
                throw new IllegalArgumentException("Sgd.step: the momentum buffer of '" + name + "' is " + buffer.dtype()
                        + " " + buffer.shape() + " but the parameter is " + p.dtype() + " " + p.shape()
                        + " (was the state restored from another model?)");
            }
        }
    }
}
