package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ReferenceTraining;
import dev.hyperkron.bench.experiments.RunRecord;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.experiments.figures.Contenders;
import dev.hyperkron.bench.experiments.figures.FigureCase;
import dev.hyperkron.bench.experiments.figures.FigureRun;
import dev.hyperkron.bench.options.FigureOptions;
import dev.hyperkron.bilevel.methods.Baseline;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.tasks.DataHypercleaning;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.ResumeMismatchException;
import dev.hyperkron.bilevel.train.StepListener;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a figure: every contender of every case for every seed under one budget, behind one
 * progress bar. Each run checkpoints into OUT/checkpoints/CASE/CONTENDER/seed-N, so that
 * {@code --resume} reads finished runs back and continues an interrupted one; each method is
 * warmed up (JIT) once per case before its first timed run. The problems live on the device of
 * --device.
 */
final class FigureRunner {
    private final FigureOptions options;
    private final Budget budget;
    private final int evaluateEvery;
    private final Device device;

    FigureRunner(FigureOptions options, Budget budget, int evaluateEvery, Device device) {
        this.options = options;
        this.budget = budget;
        this.evaluateEvery = evaluateEvery;
        this.device = device;
    }

    /** Every run of the cases, in the order they ran. */
    List<FigureRun> run(String task, List<FigureCase> cases) {
        int runs = cases.stream().mapToInt(c -> c.contenders().size()).sum() * options.seeds();
        List<FigureRun> done = new ArrayList<>();
        try (Progress progress = budget.steps() > 0 ? Progress.steps(task, runs, budget.steps())
                : Progress.seconds(task, runs, budget.seconds());
             RunStatus status = new RunStatus(line -> progress.note(options.run().err(), line), System.err, budget)) {
            for (FigureCase figureCase : cases) {
                Set<String> warmed = new HashSet<>();
                for (int s = 0; s < options.seeds(); s++) {
                    long seed = options.run().seed() + s;
                    HypercleaningExperiment experiment = new HypercleaningExperiment(figureCase.setup().withSeed(seed),
                            figureCase.data()).on(device);
                    for (String contender : figureCase.contenders()) {
                        done.add(runContender(figureCase, experiment, contender, seed, warmed.add(contender), progress,
                                status));
                    }
                }
            }
        }
        return done;
    }

    /** One contender of a case with one seed; a method is warmed up first when {@code warmUp} says so. */
    private FigureRun runContender(FigureCase figureCase, HypercleaningExperiment experiment, String contender, long seed,
                                   boolean warmUp, Progress progress, RunStatus status) {
        PrintWriter err = options.run().err();
        MethodSpec spec = options.methodSpec();
        String label = Contenders.label(contender, spec);
        progress.startRun(figureCase.label() + ": " + label + (options.seeds() > 1 ? ", seed " + seed : ""));
        Optional<ReferenceTraining> reference = ReferenceTraining.named(contender);
        HypergradientMethod method = reference.isPresent() ? new Baseline() : spec.build(contender);
        if (reference.isEmpty() && warmUp) {
            experiment.warmUp(method, options.warmupSteps());
        }
        DataHypercleaning problem = reference.map(experiment::referenceProblem).orElseGet(experiment::problem);
        Path checkpoints = options.run().folder().resolve("checkpoints").resolve(slug(figureCase.label()))
                .resolve(slug(label)).resolve("seed-" + seed);
        status.start(label);
        long started = System.nanoTime();
        TrainingResult result = runOne(experiment, problem, method, spec, checkpoints,
                List.of(progress.listener(), status));
        status.finish();
        progress.finishRun(result.status() == TrainingResult.Status.COMPLETED);
        result.warnings().forEach(w -> progress.note(err, "hyperkron: warning: " + w));
        if (result.status() == TrainingResult.Status.DIVERGED) {
            progress.note(err, "hyperkron: " + figureCase.label() + ": " + result.message());
        }
        return new FigureRun(figureCase.label(), contender, label, seed, reference.isPresent(),
                new RunRecord(figureCase.label(), label, result, (System.nanoTime() - started) * 1e-9));
    }

    private TrainingResult runOne(HypercleaningExperiment experiment, DataHypercleaning problem,
                                  HypergradientMethod method, MethodSpec spec, Path checkpoints,
                                  List<StepListener> listeners) {
        Map<String, String> settings = spec.settings();
        try {
            return experiment.run(problem, method, budget, evaluateEvery, checkpoints, options.checkpointEvery(),
                    options.resume(), settings, listeners);
        } catch (ResumeMismatchException e) {
            throw new UserError("cannot resume from " + checkpoints + ": it was written with other settings ("
                    + String.join(", ", e.differences()) + "); only --steps, --seconds, --eval-every, --seeds, "
                    + "--checkpoint-every, --warmup-steps and --threads may change on resume (or use another --out)");
        }
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "_");
    }
}
