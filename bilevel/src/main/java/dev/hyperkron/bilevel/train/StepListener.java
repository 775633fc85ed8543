package dev.hyperkron.bilevel.train;

import dev.hyperkron.autodiff.Params;

/** Called after every outer step (progress bars, logging, custom stopping rules). */
@FunctionalInterface
public interface StepListener {

    /** @param theta the inner parameters and @param lambda the outer variables after the step */
    void afterStep(HistoryEntry entry, Params theta, Params lambda);
}
