package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.InfluenceExperiment;
import dev.hyperkron.bench.experiments.InfluenceReport;
import dev.hyperkron.bench.experiments.InfluenceSetup;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.InfluenceProblemOptions;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bilevel.influence.InfluenceScores;
import dev.hyperkron.bilevel.influence.LeaveOneOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    @Mixin
    InfluenceProblemOptions problem;

    @Option(names = "--method", split = ",", description = "Comma-separated IHVP methods: " + InfluenceSetup.METHODS
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "exact,cg,kfac,ekfac")
    List<String> methods;

    @Option(names = "--cg-iterations", description = "CG iterations (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int cgIterations;

    @Option(names = "--loo-size", description = "Training examples retrained without, drawn at random; 0 skips the "
            + "leave-one-out check (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int looSize;

    @Option(names = "--top", description = "Proponents and opponents listed per method (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int top;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        List<String> names = validate();
        threads.apply();
        Path out = run.folder();
        InfluenceSetup setup = problem.setup(names, cgIterations, looSize, top, run.seed());
        InfluenceExperiment experiment = new InfluenceExperiment(setup);
        int[] positions = experiment.leaveOneOutPositions();
        String description = experiment.query().description();
        run.out().printf(Locale.ROOT, "Influence on %s of %s with %s: %d training examples, weight decay %s; methods %s; "
                + "leave-one-out on %d random training examples.%n", setup.dataSet(), description,
                ModelSpec.describe(setup.model(), setup.hidden()), setup.trainSize(), setup.weightDecay(),
                String.join(", ", names), positions.length);
        InfluenceExperiment.Training training;
        List<InfluenceScores> scores = new ArrayList<>();
        List<LeaveOneOut.Change> changes = new ArrayList<>();
        try (Progress progress = Progress.steps("influence", 1, setup.trainSteps() + names.size() + positions.length)) {
            progress.startRun("training");
            training = experiment.train(step -> progress.advance(step, 0));
            progress.note(run.err(), String.format(Locale.ROOT, "trained in %.1f s: objective %.5f, gradient norm %.2g "
                    + "after %d Newton steps, Hessian eigenvalues in [%.3g, %.3g] (Lanczos), test accuracy %.3f",
                    training.seconds(), training.trainLoss(), training.polish().gradientNorm(), training.polish().steps(),
                    training.spectrum().smallest(), training.spectrum().largest(), training.testAccuracy()));
            for (String name : names) {
                progress.startRun(name);
                scores.add(experiment.scores(training.model(), name));
                progress.advance(setup.trainSteps() + scores.size(), 0);
            }
            for (int p : positions) {
                progress.startRun("leave-one-out");
                changes.add(experiment.leaveOneOut(training.model(), p));
                progress.advance(setup.trainSteps() + names.size() + changes.size(), 0);
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
        problem.validate();
        Checks.atLeast("--cg-iterations", cgIterations, 1);
        Checks.atLeast("--loo-size", looSize, 0);
        if (looSize == 1 || looSize == 2) {
            throw new UserError("--loo-size must be 0 or at least 3 (correlations need several examples), got " + looSize);
        }
        if (looSize > problem.trainSize()) {
            throw new UserError("--loo-size (" + looSize + ") must be at most --train-size (" + problem.trainSize() + ")");
        }
        Checks.atLeast("--top", top, 0);
        threads.validate();
        return InfluenceProblemOptions.methods(methods, InfluenceSetup.METHOD_NAMES, InfluenceSetup.METHODS);
    }
}
