package dev.hyperkron.bilevel.meta;

import dev.hyperkron.kfac.LossBatch;

/**
 * One task of a meta-learning problem: the support set the model adapts on and the query set
 * that scores the adapted model, both as batches of the same model and loss (the form curvature
 * operators need), and how the query set is scored.
 */
public record MetaTask(LossBatch support, LossBatch query, QueryMetric metric) {

    public MetaTask {
        if (support.model() != query.model()) {
            throw new IllegalArgumentException("a task's support and query batches must use the same model");
        }
    }
}
