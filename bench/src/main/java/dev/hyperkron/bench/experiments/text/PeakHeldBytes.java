package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bilevel.BilevelProblem;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.methods.InnerLoop;
import dev.hyperkron.bilevel.methods.OuterStep;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.List;

/**
 * A hypergradient method that remembers the most memory any of its outer steps held for the
 * hypergradient ({@link OuterStep#heldBytes}: curvature factors and inverses, solver vectors,
 * graphs retained for double backward, all measured), which the training history does not keep.
 * The peak travels in the method's state beside the wrapped method's own, so a checkpoint keeps
 * it and a resumed run reports the peak of the whole run.
 */
final class PeakHeldBytes implements HypergradientMethod {
    private static final String PEAK = "peakHeldBytes";
    private static final String METHOD = "method";

    private final HypergradientMethod method;
    private long peak;

    PeakHeldBytes(HypergradientMethod method) {
        this.method = method;
    }

    /** The largest heldBytes of the steps run so far. */
    long peak() {
        return peak;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public Params state() {
        return method.state().prefixed(METHOD)
                .merge(Params.constants(List.of(PEAK), List.of(Tensor.scalar(DType.F64, peak))));
    }

    /** Restores the peak and the wrapped method's state; the empty state of a fresh run resets both. */
    @Override
    public void restoreState(Params state) {
        if (state.contains(PEAK)) {
            peak = (long) state.value(PEAK).item();
            method.restoreState(state.child(METHOD));
        } else {
            peak = 0;
            method.restoreState(state);
        }
    }

    @Override
    public OuterStep run(BilevelProblem problem, Params theta, Params lambda, InnerLoop inner, Rng rng) {
        OuterStep step = method.run(problem, theta, lambda, inner, rng);
        peak = Math.max(peak, step.heldBytes());
        return step;
    }
}
