package dev.hyperkron.nn.optim;

import dev.hyperkron.autodiff.Var;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The one SGD update of Hyperkron (momentum, dampening, Nesterov and weight decay, step for step
 * as PyTorch's {@code torch.optim.SGD}), written once with Var ops. {@link Sgd} runs it without
 * recording; unrolled differentiation runs it recording, so that the new parameters stay
 * connected in the graph to the old parameters, the gradients (when these were computed with
 * {@code createGraph}) and a learning rate given as a Var: reverse mode through T steps then
 * gives d theta_T / d lambda.
 *
 * <p>Pure: the momentum buffers travel in a {@link State} instead of living in this object, since
 * they are part of the unrolled computation (and a truncated unroll simply starts from a state
 * whose Vars are cut from the graph). {@link #stepInPlace} takes the same step on values for plain
 * training, updating buffers its caller owns in place instead of allocating new ones.
 */
public final class SgdUpdate {
    private final SgdSettings settings;

    public SgdUpdate(SgdSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("SgdUpdate: settings is null");
        }
        this.settings = settings;
    }

    /**
     * A point of an unrolled trajectory: the parameters and, with momentum, one buffer per
     * parameter name (none before the first step).
     */
    public record State(Params params, Params momentum) {
        public State {
            if (params == null || momentum == null) {
                throw new IllegalArgumentException("SgdUpdate.State: params and momentum must not be null"
                        + " (use State.start(params) before the first step)");
            }
        }

        /** The start of a trajectory: no momentum buffers yet. */
        public static State start(Params params) {
            return new State(params, Params.empty());
        }
    }

    public SgdSettings settings() {
        return settings;
    }

    /** One step without momentum; with momentum the buffers must be carried, use {@link #step(State, Params)}. */
    public Params step(Params params, Params grads) {
        if (settings.momentum() != 0) {
            throw new IllegalStateException("SgdUpdate.step(Params, Params): momentum " + settings.momentum()
                    + " needs its buffers carried from step to step; use step(State, Params)");
        }
        return step(State.start(params), grads).params();
    }

    /** One step with the configured learning rate. */
    public State step(State state, Params grads) {
        return update(state, grads, null);
    }

    /**
     * One step with the learning rate given as a one-element Var (of the parameters' dtype), which
     * may require a gradient: hypergradients with respect to the learning rate, or a schedule.
     */
    public State step(State state, Params grads, Var learningRate) {
        if (learningRate == null || learningRate.size() != 1) {
            throw new IllegalArgumentException("SgdUpdate.step: the learning rate must be a one-element Var, got "
                    + (learningRate == null ? "null" : "shape " + learningRate.shape()));
        }
        return update(state, grads, learningRate.reshape()); // rank 0, so it never widens a parameter's shape
    }

    /**
     * The step of {@link #step(State, Params)} on values, nothing recorded: the same operations in
     * the same order, so the same numbers bit for bit, but the momentum buffers of {@code state}
     * are updated in place and returned in the new state, so the caller must own them (share them
     * with no graph and no snapshot). Each parameter gets one new tensor, as a fresh leaf; the
     * parameters and gradients are only read. This saves plain training three temporaries of the
     * size of the parameters per step.
     */
    public State stepInPlace(State state, Params grads) {
        Params params = validated(state, grads);
        boolean firstStep = state.momentum().size() == 0;
        double momentum = settings.momentum();
        List<Tensor> newParams = new ArrayList<>(params.size());
        List<Tensor> newBuffers = new ArrayList<>(params.size());
        for (String name : params.names()) {
            Tensor p = params.value(name);
            Tensor direction = grads.value(name);
            boolean owned = false;
            if (settings.weightDecay() != 0) {
                direction = direction.copy().axpyInPlace(settings.weightDecay(), p);
                owned = true;
            }
            if (momentum != 0) {
                Tensor buffer = firstStep ? direction.copy()
                        : state.momentum().value(name).scaleInPlace(momentum).axpyInPlace(1 - settings.dampening(), direction);
                newBuffers.add(buffer);
                direction = settings.nesterov() ? (owned ? direction : direction.copy()).axpyInPlace(momentum, buffer) : buffer;
            }
            newParams.add(p.copy().axpyInPlace(-settings.learningRate(), direction));
        }
        return new State(params.withValues(newParams),
                momentum != 0 ? Params.constants(params.names(), newBuffers) : Params.empty());
    }

    // learningRate null means the configured one, applied as a cheap constant scaling.
    private State update(State state, Params grads, Var learningRate) {
        Params params = validated(state, grads);
        boolean firstStep = state.momentum().size() == 0;
        if (learningRate != null) {
            requireDtype(params, learningRate);
        }
        double momentum = settings.momentum();
        List<Var> newParams = new ArrayList<>(params.size());
        List<Var> newBuffers = new ArrayList<>(params.size());
        for (String name : params.names()) {
            Var p = params.get(name);
            Var direction = grads.get(name);
            if (settings.weightDecay() != 0) {
                direction = direction.add(p.mul(settings.weightDecay()));
            }
            if (momentum != 0) {
                Var buffer = firstStep ? direction : state.momentum().get(name).mul(momentum).add(dampened(direction));
                newBuffers.add(buffer);
                direction = settings.nesterov() ? direction.add(buffer.mul(momentum)) : buffer;
            }
            newParams.add(p.sub(learningRate == null ? direction.mul(settings.learningRate()) : direction.mul(learningRate)));
        }
        return new State(params.withVars(newParams), momentum != 0 ? params.withVars(newBuffers) : Params.empty());
    }

    private Params validated(State state, Params grads) {
        if (state == null) {
            throw new IllegalArgumentException("SgdUpdate.step: state is null (use State.start(params))");
        }
        Params params = state.params();
        ParamGradients.requireMatching("SgdUpdate.step", params, grads);
        if (settings.momentum() != 0 && state.momentum().size() != 0) {
            requireBuffersMatch(params, state.momentum());
        }
        return params;
    }

    private static void requireBuffersMatch(Params params, Params buffers) {
        if (!buffers.names().equals(params.names())) {
            throw new IllegalArgumentException("SgdUpdate.step: the state has momentum buffers for "
                    + buffers.names() + " but the parameters are " + params.names());
        }
        for (String name : params.names()) {
            Var p = params.get(name);
            Var b = buffers.get(name);
            if (!b.shape().equals(p.shape()) || b.dtype() != p.dtype()) {
                throw new IllegalArgumentException("SgdUpdate.step: the momentum buffer of '" + name + "' is "
                        + b.dtype() + " " + b.shape() + " but the parameter is " + p.dtype() + " " + p.shape());
            }
        }
    }

    private static void requireDtype(Params params, Var learningRate) {
        for (String name : params.names()) {
            if (params.get(name).dtype() != learningRate.dtype()) {
                throw new IllegalArgumentException("SgdUpdate.step: the learning rate is " + learningRate.dtype()
                        + " but parameter '" + name + "' is " + params.get(name).dtype());
            }
        }
    }

    private Var dampened(Var direction) {
        return settings.dampening() == 0 ? direction : direction.mul(1 - settings.dampening());
    }
}
