package dev.hyperkron.bilevel.meta;

import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Module;

/**
 * A distribution over tasks (N-way K-shot classification, sinusoid regression, ...) with the model
 * that every task of it is solved with: meta-learning learns that model's initialisation.
 */
public interface TaskDistribution {

    /** The model shared by all tasks (its outputs fit every task's targets). */
    Module model();

    /** A freshly drawn task. */
    MetaTask sample(Rng rng);
}
