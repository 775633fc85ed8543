package dev.hyperkron.nn.optim;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.autodiff.Params;
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
 * The arithmetic is {@link SgdUpdate}'s, run without recording by {@link #step} and recording by
 * {@link #unrolledStep}, so plain training and unrolled differentiation take the same steps.
 *
 * <p>State: one momentum buffer per parameter name ("momentum.&lt;name&gt;"), created on the
 * first step when momentum is on. {@link #step} updates the buffers in place once they are its
 * own (not the recorded ones of {@link #unrolledStep}, which a graph may still hold).
 */
public final class Sgd implements Optimizer {
    static final String KIND = "sgd";
    private static final String MOMENTUM = "momentum.";

    private SgdSettings settings;
    private Params momentum = Params.empty();
    /** Whether the buffers' tensors are this optimizer's alone, so {@link #step} may update them in place. */
    private boolean ownsMomentum = true;

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
        Params buffers = ownsMomentum ? momentum : momentum.copy().detached();
        SgdUpdate.State next = new SgdUpdate(settings).stepInPlace(new SgdUpdate.State(params, buffers), grads);
        momentum = next.momentum();
        ownsMomentum = true;
        return next.params();
    }

    /**
     * One step recorded in the graph (for unrolled differentiation): the result stays connected to
     * {@code params} and {@code grads}. The momentum buffers carried to the next step are the
     * recorded ones; a later {@link #step} or {@link #state} uses only their values.
     */
    @Override
    public Params unrolledStep(Params params, Params grads) {
        SgdUpdate.State next = new SgdUpdate(settings).step(new SgdUpdate.State(params, momentum), grads);
        momentum = next.momentum();
        ownsMomentum = false;
        return next.params();
    }

    @Override
    public void detachState() {
        momentum = momentum.detached();
    }

    @Override
    public boolean canUnroll() {
        return true;
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
        for (String name : momentum.names()) {
            tensors.put(MOMENTUM + name, momentum.value(name));
        }
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
        List<String> names = new ArrayList<>();
        List<Tensor> buffers = new ArrayList<>();
        state.tensors().forEach((key, tensor) -> {
            if (!key.startsWith(MOMENTUM) || key.length() == MOMENTUM.length()) {
                throw new IllegalArgumentException("Sgd.restore: unexpected tensor '" + key
                        + "' in the state; SGD only keeps '" + MOMENTUM + "<parameter name>'");
            }
            names.add(key.substring(MOMENTUM.length()));
            buffers.add(tensor.copy());
        });
        if (restored.momentum() == 0 && !names.isEmpty()) {
            throw new IllegalArgumentException("Sgd.restore: the state has momentum 0 but holds momentum buffers for "
                    + names);
        }
        settings = restored;
        momentum = Params.constants(names, buffers);
        ownsMomentum = true;
    }
}
