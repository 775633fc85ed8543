package dev.hyperkron.bench.experiments;

/**
 * Everything that defines a data-poisoning experiment apart from the budget fraction, the method
 * and the time budget.
 *
 * @param dataSet           data set name (see {@link DataSets})
 * @param model             linear or mlp (tanh: the victims are retrained by Newton-CG, which needs a
 *                          twice differentiable loss)
 * @param hidden            hidden sizes of the mlp
 * @param trainSize         clean training examples N
 * @param validationSize    clean validation examples the attacker's objective reads (and the defense)
 * @param testSize          test examples (0: the official test set, or the rest of a set without one)
 * @param batchSize         clean training and validation examples per batch of the attack and the defense
 *                          (0: full batch); the poison is in every training batch
 * @param epsilon           L-infinity radius around each poison's start (infinity: only the box, each
 *                          feature's range over the clean training set)
 * @param learnLabels       whether the poison's labels are learned on the simplex too
 * @param innerSteps        inner SGD steps per outer step (T)
 * @param innerLr           inner learning rate (SGD with momentum 0.9)
 * @param outerLr           Adam's learning rate on the poison
 * @param weightDecay       the victim's L2 coefficient
 * @param gradientTolerance gradient norm the retrained victims reach by Newton-CG
 * @param defendSteps       outer steps of the hypercleaning defense (0: no defense)
 * @param seed              seed of the split, the poison's sources and labels, and the initialisations
 */
public record PoisoningSetup(String dataSet, String model, int[] hidden, int trainSize, int validationSize, int testSize,
                             int batchSize, double epsilon, boolean learnLabels, int innerSteps, double innerLr, double outerLr,
                             double weightDecay, double gradientTolerance, int defendSteps, long seed) {

    /** This setup with another seed: another split, other poison sources and another initialisation. */
    public PoisoningSetup withSeed(long newSeed) {
        return new PoisoningSetup(dataSet, model, hidden, trainSize, validationSize, testSize, batchSize, epsilon, learnLabels,
                innerSteps, innerLr, outerLr, weightDecay, gradientTolerance, defendSteps, newSeed);
    }
}
