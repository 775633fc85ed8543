package dev.hyperkron.bilevel.influence;

import dev.hyperkron.core.Tensor;
import java.util.Objects;

/**
 * What influence is measured on: the mean loss over a few examples, such as one test example
 * (Koh and Liang's test-loss influence) or a whole validation set.
 *
 * @param description e.g. "test example 17" or "validation loss"
 * @param inputs      the examples' inputs, one per row
 * @param targets     their targets, in the form the training loss takes
 */
public record Query(String description, Tensor inputs, Tensor targets) {

    public Query {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (inputs.rank() == 0 || inputs.dim(0) == 0 || targets.rank() == 0 || targets.dim(0) != inputs.dim(0)) {
            throw new IllegalArgumentException("a query needs at least one example with one target each, got inputs "
                    + inputs.shape() + " and targets " + targets.shape());
        }
    }
}
