package dev.hyperkron.bench.experiments.text;

import dev.hyperkron.bench.experiments.RunRecord;

/**
 * One finished run of a text-cleaning comparison.
 *
 * @param record          the model ("top k of L layers"), the method and the training result
 * @param layers          trainable encoder layers k
 * @param seed            the seed of the head's initialisation and of the batches
 * @param learnsWeights   whether the run learned per-question weights (its cleaning F1 means something)
 * @param reference       whether the run is a reference line rather than a bilevel method
 * @param heldBytes       the most memory one hypergradient held (0 for runs that compute none)
 */
public record TextRun(RunRecord record, int layers, long seed, boolean learnsWeights, boolean reference,
                      long heldBytes) {

    public String method() {
        return record.method();
    }

    /** Test accuracy after the last step. */
    public double testAccuracy() {
        return record.finalMetrics().getOrDefault("testAccuracy", Double.NaN);
    }

    /** Cleaning F1 after the last step (NaN when the run learned no weights). */
    public double cleaningF1() {
        return learnsWeights ? record.finalMetrics().getOrDefault("f1", Double.NaN) : Double.NaN;
    }
}
