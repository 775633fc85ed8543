package dev.hyperkron.autodiff;

/**
 * A scope in which ops record nothing: for inference, optimizer updates and solver internals.
 * Use with try-with-resources; closing restores whatever mode was active when the scope was
 * entered, and closing twice is harmless.
 *
 * <pre>{@code
 * try (NoGrad scope = NoGrad.enter()) {
 *     Var logits = model.apply(params, input, ctx); // no graph
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private final Thread owner;
    private final boolean previous;
    private boolean closed;

    private NoGrad(boolean enabled) {
        this.owner = Thread.currentThread();
        this.previous = GradMode.set(enabled);
    }

    /** Disables recording on this thread until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad(false);
    }

    /** Re-enables recording on this thread until {@link #close()} (e.g. inside a NoGrad scope). */
    public static NoGrad enableGrad() {
        return new NoGrad(true);
    }

    /** Whether ops on the current thread record a graph. */
    public static boolean isRecording() {
        return GradMode.isEnabled();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a NoGrad scope must be closed on the thread that entered it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        GradMode.set(previous);
    }
}
