package dev.hyperkron.bench.experiments;

import dev.hyperkron.autodiff.Grad;
import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.text.SentenceEmbeddings;
import dev.hyperkron.bilevel.influence.Influence;
import dev.hyperkron.bilevel.influence.InfluenceScores;
import dev.hyperkron.bilevel.influence.LeaveOneOut;
import dev.hyperkron.bilevel.influence.NewtonMinimizer;
import dev.hyperkron.bilevel.influence.Query;
import dev.hyperkron.bilevel.influence.TrainedModel;
import dev.hyperkron.bilevel.methods.IhvpMethod;
import dev.hyperkron.bilevel.methods.IhvpMethods;
import dev.hyperkron.bilevel.tasks.ClassificationMetrics;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.kfac.ExactSolver;
import dev.hyperkron.kfac.HessianOperator;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Normalizer;
import dev.hyperkron.nn.data.Split;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.nn.optim.Adam;
import dev.hyperkron.nn.optim.AdamSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Influence of training examples on a classifier (F64 throughout, so that leave-one-out changes
 * of order 1/n are measured, not rounded): the data are split and standardized once, the model is
 * trained by full-batch Adam and then Newton-CG to a tight gradient norm (influence functions
 * assume a minimum), and each IHVP method's scores are compared with leave-one-out retraining on
 * a seeded random subset of the training set (random, so that no method picks its own examples).
 */
public final class InfluenceExperiment {
    private final InfluenceSetup setup;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Module module;

    public InfluenceExperiment(InfluenceSetup setup) {
        this.setup = setup;
        Split split = setup.dataSet().equals("trec") || setup.dataSet().startsWith("trec:")
                ? SentenceEmbeddings.trec(Path.of(setup.dataSet().equals("trec") ? DEFAULT_TREC
                        : setup.dataSet().substring(5)), setup.trainSize(), setup.validationSize(), setup.seed())
                : pooledSplit(setup);
        Normalizer normalizer = Normalizer.standardize(split.train());
        this.train = normalizer.apply(split.train()).cast(DType.F64);
        this.validation = normalizer.apply(split.validation()).cast(DType.F64);
        this.test = normalizer.apply(split.test()).cast(DType.F64);
        if (!setup.validationQuery() && setup.testIndex() >= test.size()) {
            throw new UserError("--test-index " + setup.testIndex() + " is past the test split: it has " + test.size()
                    + " examples (0 to " + (test.size() - 1) + ")");
        }
        // tanh, not ReLU: influence functions and the Newton-CG retraining need a twice differentiable loss, and
        // ReLU's kinks (crossed by every step) kept Newton from converging on the digits
        this.module = ModelSpec.build(setup.model(), train.exampleShape(), train.classes(), setup.hidden(),
                Activation.tanh());
        if (setup.methods().contains("exact")) {
            try {
                ExactSolver.requireHeapFor(module.init(new Rng(0), DType.F64).numel());
            } catch (IllegalArgumentException e) {
                throw new UserError("--method exact: " + e.getMessage());
            }
        }
    }

    /** Where "trec" reads TREC from: the folder the project's tests and text-clean use. */
    static final String DEFAULT_TREC = "../shared/data/trec";

    /** Training, validation and test examples drawn from one image data set. */
    private static Split pooledSplit(InfluenceSetup setup) {
        Dataset all = DataSets.load(setup.dataSet());
        int testSize = all.size() - setup.trainSize() - setup.validationSize();
        if (testSize < 1) {
            throw new UserError("cannot take " + setup.trainSize() + " training and " + setup.validationSize()
                    + " validation examples from the " + all.size() + " of '" + setup.dataSet()
                    + "' and keep test examples");
        }
        return Split.bySizes(all, setup.trainSize(), setup.validationSize(), testSize, new Rng(setup.seed()), true);
    }

    /** The training set (positions are what the scores are indexed by). */
    public Dataset train() {
        return train;
    }

    public Dataset test() {
        return test;
    }

    /** The query: one test example's loss, or the validation set's mean loss. */
    public Query query() {
        if (setup.validationQuery()) {
            return new Query("validation loss (" + validation.size() + " examples)", validation.features(),
                    validation.labels());
        }
        int i = setup.testIndex();
        return new Query("test example " + i + " (data index " + test.index(i) + ", label " + test.label(i) + ")",
                test.features().slice(0, i, i + 1), test.labels().slice(0, i, i + 1));
    }

    /** Lanczos steps of the spectrum check at theta*. */
    private static final int LANCZOS_STEPS = 100;

    /**
     * The trained model and how training went.
     *
     * @param polish       how the Newton polish after Adam ended
     * @param spectrum     extreme eigenvalues of H at theta* (Lanczos): a small lambda_min means a flat
     *                     direction along which leaving an example out can move theta far, beyond first order
     * @param testAccuracy accuracy on the test split
     */
    public record Training(TrainedModel model, NewtonMinimizer.Result polish, HessianSpectrum spectrum, double trainLoss,
                           double testAccuracy, double seconds) {
    }

    /** Adam steps (reported to {@code onStep}) then the Newton polish; refuses a polish that did not converge. */
    public Training train(IntConsumer onStep) {
        long start = System.nanoTime();
        TrainedModel initial = TrainedModel.of(module, train.features(), train.labels(), new CrossEntropyLoss(),
                setup.weightDecay(), module.init(new Rng(setup.seed()).split(), DType.F64));
        var objective = initial.objective();
        Adam adam = new Adam(AdamSettings.adam().learningRate(setup.learningRate()).build());
        Params theta = initial.theta();
        for (int step = 0; step < setup.trainSteps(); step++) {
            theta = adam.step(theta, Grad.grad(t -> objective.at(t, Params.empty()), theta));
            onStep.accept(step + 1);
        }
        NewtonMinimizer.Result polish = newton().minimize(t -> objective.at(t, Params.empty()), theta);
        if (!polish.converged()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training did not reach a minimum: "
                    + "Newton-CG stopped at gradient norm %.3g after %d steps (tolerance %.3g); raise --train-steps or "
                    + "--weight-decay, or loosen --tolerance", polish.gradientNorm(), polish.steps(),
                    setup.gradientTolerance()));
        }
        HessianSpectrum spectrum = HessianSpectrum.lanczos(HessianOperator.ofFunction(polish.theta(),
                t -> objective.at(t, Params.empty())), LANCZOS_STEPS, new Rng(setup.seed()));
        if (!(spectrum.smallest() > 0)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training ended at a stationary point that is "
                    + "not a minimum: the Hessian has an eigenvalue of about %.3g (Lanczos), so H^-1 does not describe "
                    + "the model; raise --weight-decay or --train-steps", spectrum.smallest()));
        }
        TrainedModel trained = initial.at(polish.theta());
        double loss = objective.at(polish.theta(), Params.empty()).item();
        double accuracy = ClassificationMetrics.of(module, polish.theta(), test).accuracy();
        return new Training(trained, polish, spectrum, loss, accuracy, (System.nanoTime() - start) * 1e-9);
    }

    private NewtonMinimizer newton() {
        return NewtonMinimizer.toGradientNorm(setup.gradientTolerance());
    }

    /** The IHVP method of a command-line name. */
    public IhvpMethod method(String name) {
        return switch (name) {
            case "exact" -> IhvpMethods.exact(setup.damping());
            case "cg" -> IhvpMethods.cg().iterations(setup.cgIterations()).damping(setup.damping());
            case "kfac" -> IhvpMethods.kfac().damping(setup.damping());
            case "ekfac" -> IhvpMethods.ekfac().damping(setup.damping());
            default -> throw new UserError("unknown method '" + name + "': use " + InfluenceSetup.METHODS);
        };
    }

    /** Every training example's influence on the query by one method. */
    public InfluenceScores scores(TrainedModel trained, String method) {
        return Influence.using(method(method)).batchSize(setup.batchSize()).scores(trained, query(),
                new Rng(setup.seed()).split());
    }

    /** The training positions retrained without: a seeded random subset of --loo-size. */
    public int[] leaveOneOutPositions() {
        int[] order = new Rng(setup.seed() + 7).permutation(train.size());
        return Arrays.copyOf(order, Math.min(setup.looSize(), train.size()));
    }

    /** Retrains without the example at {@code position} to the setup's gradient norm; refuses one that did not converge. */
    public LeaveOneOut.Change leaveOneOut(TrainedModel trained, int position) {
        LeaveOneOut.Change c = new LeaveOneOut(newton()).retrainWithout(trained, query(), position);
        if (!c.retraining().converged()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "leave-one-out retraining without "
                    + "training example %d stopped at gradient norm %.3g (tolerance %.3g): its change of the query "
                    + "loss would be unreliable; loosen --tolerance or raise --weight-decay", position,
                    c.retraining().gradientNorm(), setup.gradientTolerance()));
        }
        return c;
    }
}
