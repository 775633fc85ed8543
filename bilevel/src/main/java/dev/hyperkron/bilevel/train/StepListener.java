package dev.hyperkron.bilevel.train;

import dev.hyperkron.autodiff.Params;

/** Called after every outer step (progress bars, logging, custom stopping rules), and when a run resumes or checkpoints. */
@FunctionalInterface
public interface StepListener {

    /** @param theta the inner parameters and @param lambda the outer variables after the step */
    void afterStep(HistoryEntry entry, Params theta, Params lambda);

    /** Before the first step of a run that continues from a checkpoint written after {@code step} steps and {@code seconds}. */
    default void resumed(int step, double seconds) {
    }

    /** After the checkpoint of {@code step} is safely on disk. */
    default void checkpointed(int step) {
    }
}
