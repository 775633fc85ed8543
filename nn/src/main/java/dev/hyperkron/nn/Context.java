package dev.hyperkron.nn;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.core.Rng;
import dev.hyperkron.core.Tensor;
import java.util.Objects;

/**
 * How a forward pass runs: training or evaluation mode, the random stream for dropout, an
 * optional {@link LayerObserver} for curvature capture, the path of the current module
 * (which names the observed layers exactly as their parameters are named), and, inside a
 * sequence model, which positions of the padded batch hold real tokens.
 */
public final class Context {
    private final boolean training;
    private final Rng rng;
    private final LayerObserver observer;
    private final String path;
    private final Tensor positionMask;

    private Context(boolean training, Rng rng, LayerObserver observer, String path, Tensor positionMask) {
        this.training = training;
        this.rng = rng;
        this.observer = observer;
        this.path = path;
        this.positionMask = positionMask;
    }

    /** Evaluation mode: dropout is the identity. */
    public static Context eval() {
        return new Context(false, null, null, "", null);
    }

    /** Training mode with the random stream dropout draws from. */
    public static Context train(Rng rng) {
        return new Context(true, Objects.requireNonNull(rng, "training needs an Rng for dropout"), null, "", null);
    }

    public boolean training() {
        return training;
    }

    /** The random stream of training mode (an exception in evaluation mode). */
    public Rng rng() {
        if (rng == null) {
            throw new IllegalStateException("this context has no Rng: create it with Context.train(rng)");
        }
        return rng;
    }

    /** The observer, or null when none is set (capture then costs nothing). */
    public LayerObserver observer() {
        return observer;
    }

    /** Path of the module being run, e.g. "encoder.0" ("" at the root). */
    public String path() {
        return path;
    }

    /** The same context reporting to {@code observer}. */
    public Context withObserver(LayerObserver newObserver) {
        return new Context(training, rng, newObserver, path, positionMask);
    }

    /** The context of a child module called {@code name}. */
    public Context child(String name) {
        return new Context(training, rng, observer, Params.join(path, name), positionMask);
    }

    /**
     * Which positions of the padded sequence batch being run are real tokens: [N, T], 1 for a
     * token and 0 for padding; null outside a sequence model. Attention ignores padded keys, and
     * curvature capture leaves padded positions out of its statistics.
     */
    public Tensor positionMask() {
        return positionMask;
    }

    /** The same context for a padded sequence batch with this [N, T] mask of real positions. */
    public Context withPositionMask(Tensor mask) {
        if (mask.rank() != 2) {
            throw new IllegalArgumentException("a position mask is [N, T], got " + mask.shape());
        }
        return new Context(training, rng, observer, path, mask);
    }
}
