package dev.hyperkron.bench.experiments;

import java.util.List;

/**
 * What an influence experiment runs: the data and model, how it is trained to a minimum, the
 * query, the IHVP methods compared and the leave-one-out subset they are scored against.
 *
 * @param dataSet           a name {@link DataSets} knows
 * @param model             linear or mlp
 * @param hidden            hidden sizes of the mlp
 * @param trainSize         training examples n
 * @param validationSize    validation examples (the validation query)
 * @param weightDecay       L2 coefficient c of the training objective
 * @param trainSteps        full-batch Adam steps before the Newton polish
 * @param learningRate      Adam's learning rate
 * @param gradientTolerance gradient norm the Newton polish and every leave-one-out retraining reach
 * @param validationQuery   whether the query is the validation loss (else one test example)
 * @param testIndex         the test example's position in the test split
 * @param methods           IHVP method names: exact, cg, kfac, ekfac
 * @param damping           damping added to every IHVP method's curvature
 * @param cgIterations      CG iterations
 * @param looSize           training examples retrained without (a seeded random subset)
 * @param top               proponents and opponents listed per method
 * @param batchSize         examples per Jacobian-vector product when scoring
 * @param seed              seed of the split, the initialisation and the leave-one-out subset
 */
public record InfluenceSetup(String dataSet, String model, int[] hidden, int trainSize, int validationSize,
                             double weightDecay, int trainSteps, double learningRate, double gradientTolerance,
                             boolean validationQuery, int testIndex, List<String> methods, double damping,
                             int cgIterations, int looSize, int top, int batchSize, long seed) {

    /** The method names the command accepts, for help texts and messages. */
    public static final String METHODS = "exact, cg, kfac, ekfac";

    /** The same names as a list. */
    public static final List<String> METHOD_NAMES = List.of(METHODS.split(", "));
}
