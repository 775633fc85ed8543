package dev.hyperkron.bench.experiments;

import dev.hyperkron.core.Tensor;
import dev.hyperkron.nn.data.Dataset;
import java.util.Optional;

/**
 * Training that learns no example weights, as a yardstick for the methods that do: the paper
 * draws both as reference lines. A hypercleaning method that does not beat
 * {@link #VALIDATION_AND_NOISY} has learned nothing from the weights; one that beats
 * {@link #VALIDATION_ONLY} has put the noisy set to use.
 */
public enum ReferenceTraining {
    /** The model trained on the clean validation set alone. */
    VALIDATION_ONLY("valid-only"),
    /** The model trained on the validation set and the noisy training set, every example weighted 1. */
    VALIDATION_AND_NOISY("valid+noisy");

    private final String option;

    ReferenceTraining(String option) {
        this.option = option;
    }

    /** The name on the command line and in tables. */
    public String option() {
        return option;
    }

    /** The reference of that name, if {@code name} is one. */
    public static Optional<ReferenceTraining> named(String name) {
        for (ReferenceTraining r : values()) {
            if (r.option.equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The examples this reference trains on. */
    public Dataset trainingSet(Dataset validation, Dataset noisyTrain) {
        if (this == VALIDATION_ONLY) {
            return validation;
        }
        return Dataset.of(Tensor.concat(0, validation.features(), noisyTrain.features()),
                Tensor.concat(0, validation.labels(), noisyTrain.labels()), validation.classes());
    }
}
