package dev.hyperkron.bench.experiments;

/**
 * Everything that defines a data-hypercleaning experiment apart from the method and budget.
 *
 * @param dataSet        data set name (see {@link DataSets})
 * @param model          linear, mlp or cnn
 * @param hidden         hidden sizes of the mlp
 * @param noise          fraction of training labels replaced by a different class
 * @param trainSize      training examples (noisy)
 * @param validationSize clean validation examples
 * @param testSize       test examples (0: all remaining)
 * @param batchSize      training and validation batch size (0: full batch)
 * @param innerSteps     inner SGD steps per outer step (T)
 * @param innerLr        inner learning rate
 * @param outerLr        outer learning rate (0: the number of training examples, since each
 *                       weight's hypergradient is of order 1/N)
 * @param weightDecay    inner L2 coefficient
 * @param seed           seed of the split, the noise, the initialisation and the sampling
 */
public record HypercleaningSetup(String dataSet, String model, int[] hidden, double noise, int trainSize,
                                 int validationSize, int testSize, int batchSize, int innerSteps, double innerLr,
                                 double outerLr, double weightDecay, long seed) {

    /** The outer learning rate, resolving the 0 default. */
    public double effectiveOuterLr() {
        return outerLr > 0 ? outerLr : trainSize;
    }
}
