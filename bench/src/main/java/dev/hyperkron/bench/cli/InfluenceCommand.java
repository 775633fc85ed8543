package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.InfluenceExperiment;
import dev.hyperkron.bench.experiments.InfluenceReport;
import dev.hyperkron.bench.experiments.InfluenceSetup;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bilevel.influence.InfluenceScores;
import dev.hyperkron.bilevel.influence.LeaveOneOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Influence of training examples (Koh and Liang 2017) by exact, CG, KFAC and EKFAC IHVPs, checked against leave-one-out retraining. */
@Command(name = "influence", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Influence of training examples: trains a classifier to a minimum of its L2-regularized loss "
                + "(F64, full-batch Adam then Newton-CG), scores every training example's influence "
                + "I(z) = -grad L_query^T H^-1 grad l(z) on one test example's loss or on the validation loss with each "
                + "IHVP method, and compares the predicted leave-one-out change -I(z)/n with actual retraining without z "
                + "on a random subset of the training set (Pearson and Spearman). Positive scores are opponents "
                + "(upweighting z raises the query loss), negative scores proponents.",
                "Prints tables and writes results.csv/json, scores.csv, loo.csv and the loo-scatter and loo-correlation "
                        + "plots (SVG/PNG)."})
public final class InfluenceCommand implements Callable<Integer> {

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

    @Option(names = "--method", split = ",", description = "Comma-separated IHVP methods: " + InfluenceSetup.METHODS
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "exact,cg,kfac,ekfac")
    List<String> methods;

    @Option(names = "--damping", description = "Damping added to every method's curvature; the weight decay is already "
            + "in H (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    double damping;

    @Option(names = "--cg-iterations", description = "CG iterations (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int cgIterations;

    @Option(names = "--loo-size", description = "Training examples retrained without, drawn at random; 0 skips the "
            + "leave-one-out check (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int looSize;

    @Option(names = "--top", description = "Proponents and opponents listed per method (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int top;

    @Option(names = "--batch-size", description = "Examples per Jacobian-vector product when scoring "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int batchSize;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        List<String> names = validate();
        threads.apply();
        Path out = run.folder();
        InfluenceSetup setup = new InfluenceSetup(data, model, hidden, trainSize, validationSize, weightDecay, trainSteps,
                learningRate, tolerance, query.equals("validation"), testIndex, names, damping, cgIterations, looSize,
                top, batchSize, run.seed());
        InfluenceExperiment experiment = new InfluenceExperiment(setup);
        int[] positions = experiment.leaveOneOutPositions();
        String description = experiment.query().description();
        run.out().printf(Locale.ROOT, "Influence on %s of %s with %s: %d training examples, weight decay %s; methods %s; "
                + "leave-one-out on %d random training examples.%n", data, description, ModelSpec.describe(model, hidden),
                trainSize, weightDecay, String.join(", ", names), positions.length);
        InfluenceExperiment.Training training;
        List<InfluenceScores> scores = new ArrayList<>();
        List<LeaveOneOut.Change> changes = new ArrayList<>();
        try (Progress progress = Progress.steps("influence", 1, trainSteps + names.size() + positions.length)) {
            progress.startRun("training");
            training = experiment.train(step -> progress.advance(step, 0));
            progress.note(run.err(), String.format(Locale.ROOT, "trained in %.1f s: objective %.5f, gradient norm %.2g "
                    + "after %d Newton steps, Hessian eigenvalues in [%.3g, %.3g] (Lanczos), test accuracy %.3f",
                    training.seconds(), training.trainLoss(), training.polish().gradientNorm(), training.polish().steps(),
                    training.spectrum().smallest(), training.spectrum().largest(), training.testAccuracy()));
            for (String name : names) {
                progress.startRun(name);
                scores.add(experiment.scores(training.model(), name));
                progress.advance(trainSteps + scores.size(), 0);
            }
            for (int p : positions) {
                progress.startRun("leave-one-out");
                changes.add(experiment.leaveOneOut(training.model(), p));
                progress.advance(trainSteps + names.size() + changes.size(), 0);
            }
            progress.finishRun(true);
        }
        InfluenceReport report = new InfluenceReport(setup, training, description, experiment.train(), scores, changes);
        run.out().println();
        run.out().print(report.summary());
        run.out().println();
        run.out().print(report.rankedTable());
        run.out().println();
        for (Path p : report.write(out)) {
            run.out().println("wrote " + p);
        }
        return 0;
    }

    /** Every option's range before any data is loaded; returns the method names, trimmed, each once. */
    private List<String> validate() {
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
        Checks.atLeast("--cg-iterations", cgIterations, 1);
        Checks.atLeast("--loo-size", looSize, 0);
        if (looSize == 1 || looSize == 2) {
            throw new UserError("--loo-size must be 0 or at least 3 (correlations need several examples), got " + looSize);
        }
        if (looSize > trainSize) {
            throw new UserError("--loo-size (" + looSize + ") must be at most --train-size (" + trainSize + ")");
        }
        Checks.atLeast("--top", top, 0);
        Checks.atLeast("--batch-size", batchSize, 1);
        threads.validate();
        Set<String> names = new LinkedHashSet<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (!InfluenceSetup.METHOD_NAMES.contains(name)) {
                throw new UserError("unknown method '" + m.trim() + "': use " + InfluenceSetup.METHODS);
            }
            if (!names.add(name)) {
                throw new UserError("--method names " + name + " twice; each method runs once");
            }
        }
        return List.copyOf(names);
    }
}
