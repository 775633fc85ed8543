package dev.hyperkron.bench.options;

import dev.hyperkron.bench.experiments.InfluenceSetup;
import dev.hyperkron.bench.experiments.UserError;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What an influence command trains and asks about: the data, the model, its training to a
 * minimum, the query and the damping, declared once for {@code influence} and its distributed
 * twin {@code spark-influence}.
 */
public final class InfluenceProblemOptions {
    @Option(names = "--data", description = "digits (embedded), fashion, idx:DIR, cifar:DIR, or trec / trec:DIR (TREC "
            + "questions as mean-pooled sentence embeddings of the bundled all-MiniLM-L6-v2, noisy training labels; "
            + "trec reads ../shared/data/trec) (default: ${DEFAULT-VALUE}).",
            defaultValue = "digits")
    String data;

    @Option(names = "--model", description = "linear or mlp (default: ${DEFAULT-VALUE}).", defaultValue = "mlp")
    String model;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the mlp (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int[] hidden;

    @Option(names = "--train-size", description = "Training examples n (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int trainSize;

    @Option(names = "--val-size", description = "Validation examples; the rest of the data set is the test split "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "300")
    int validationSize;

    @Option(names = "--weight-decay", description = "L2 coefficient c of the training objective; it keeps H positive "
            + "definite and, the larger, the more local leaving an example out stays (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.03")
    double weightDecay;

    @Option(names = "--train-steps", description = "Full-batch Adam steps before the Newton polish "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "300")
    int trainSteps;

    @Option(names = "--lr", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.01")
    double learningRate;

    @Option(names = "--tolerance", description = "Gradient norm that training and every leave-one-out retraining reach "
            + "by Newton-CG; leave-one-out changes are often below 1e-5, so it must be far smaller "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1e-10")
    double tolerance;

    @Option(names = "--query", description = "test (one test example's loss, see --test-index) or validation (the mean "
            + "validation loss) (default: ${DEFAULT-VALUE}).", defaultValue = "test")
    String query;

    @Option(names = "--test-index", description = "Position of the query example in the test split "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int testIndex;

    @Option(names = "--damping", description = "Damping added to every method's curvature; the weight decay is already "
            + "in H (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    double damping;

    @Option(names = "--batch-size", description = "Examples per Jacobian-vector product when scoring "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int batchSize;

    /** Checks every range before any data is loaded. */
    public void validate() {
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
        if (!model.equals("linear") && !model.equals("mlp")) {
            throw new UserError("--model must be linear or mlp, got '" + model + "'");
        }
        Checks.atLeast("--train-size", trainSize, 2);
        Checks.atLeast("--val-size", validationSize, 1);
        Checks.positive("--weight-decay", weightDecay);
        Checks.atLeast("--train-steps", trainSteps, 0);
        Checks.positive("--lr", learningRate);
        Checks.positive("--tolerance", tolerance);
        if (!query.equals("test") && !query.equals("validation")) {
            throw new UserError("--query must be test or validation, got '" + query + "'");
        }
        Checks.atLeast("--test-index", testIndex, 0);
        Checks.nonNegative("--damping", damping);
        Checks.atLeast("--batch-size", batchSize, 1);
    }

    /** The experiment's setup: these options and the command's own. */
    public InfluenceSetup setup(List<String> methods, int cgIterations, int looSize, int top, long seed) {
        return new InfluenceSetup(data, model, hidden, trainSize, validationSize, weightDecay, trainSteps, learningRate,
                tolerance, query.equals("validation"), testIndex, methods, damping, cgIterations, looSize, top, batchSize,
                seed);
    }

    /** Training examples n, for checks of the command's own options against it. */
    public int trainSize() {
        return trainSize;
    }

    /**
     * The method names given, trimmed and lower-cased, each among {@code known} and given once.
     *
     * @param knownText the known names as the error message lists them
     */
    public static List<String> methods(List<String> given, Collection<String> known, String knownText) {
        Set<String> names = new LinkedHashSet<>();
        for (String m : given) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new UserError("unknown method '" + m.trim() + "': use " + knownText);
            }
            if (!names.add(name)) {
                throw new UserError("--method names " + name + " twice; each method runs once");
            }
        }
        return List.copyOf(names);
    }
}
