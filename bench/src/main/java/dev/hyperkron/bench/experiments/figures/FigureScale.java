package dev.hyperkron.bench.experiments.figures;

/**
 * How big a figure's runs are: the data-hypercleaning sizes and schedule that a figure command
 * uses unless told otherwise, one for its quick default (minutes on a laptop) and one for
 * {@code --full} (the paper's sizes, hours).
 *
 * @param trainSize      noisy training examples
 * @param validationSize clean validation examples
 * @param testSize       test examples (0: the whole official test set, or every example left over)
 * @param noise          fraction of training labels flipped
 * @param innerSteps     inner steps per outer step (T)
 * @param innerLr        inner learning rate (SGD, momentum 0.9)
 * @param outerLr        outer learning rate (SGD, momentum 0.9, as in the paper's code)
 * @param weightDecay    inner L2 coefficient
 * @param evaluateEvery  outer steps between test evaluations
 * @param seconds        wall-clock budget of each run
 */
public record FigureScale(int trainSize, int validationSize, int testSize, double noise, int innerSteps,
                          double innerLr, double outerLr, double weightDecay, int evaluateEvery, double seconds) {

    /** Digits: all the embedded set allows (1797 examples) in 30 seconds a run; --full gives each run 5 minutes. */
    private static final FigureScale DIGITS = new FigureScale(1000, 300, 0, 0.5, 10, 0.01, 1, 1e-3, 10, 30);

    /** An MNIST-sized set: a tenth of the paper's training set and a 2000-example test sample, 30 seconds a run. */
    private static final FigureScale QUICK = new FigureScale(5000, 1000, 2000, 0.5, 10, 0.01, 1, 1e-3, 10, 30);

    /** The paper's sizes: 50000 noisy training and 5000 validation examples, the whole test set, 15 minutes a run. */
    private static final FigureScale FULL = new FigureScale(50000, 5000, 0, 0.5, 10, 0.01, 1, 1e-3, 50, 900);

    /** The quick scale for the embedded digits ({@code digits}) or for an MNIST-sized set. */
    public static FigureScale quick(boolean digits) {
        return digits ? DIGITS : QUICK;
    }

    /** The --full scale for the embedded digits ({@code digits}: as quick, 5 minutes a run) or the paper's. */
    public static FigureScale full(boolean digits) {
        return digits ? DIGITS.withSeconds(300) : FULL;
    }

    /** This scale with another budget per run. */
    public FigureScale withSeconds(double newSeconds) {
        return new FigureScale(trainSize, validationSize, testSize, noise, innerSteps, innerLr, outerLr, weightDecay,
                evaluateEvery, newSeconds);
    }

    /** This scale with another number of training examples (CIFAR-10 has 50000 in all). */
    public FigureScale withTrainSize(int newTrainSize) {
        return new FigureScale(newTrainSize, validationSize, testSize, noise, innerSteps, innerLr, outerLr, weightDecay,
                evaluateEvery, seconds);
    }
}
