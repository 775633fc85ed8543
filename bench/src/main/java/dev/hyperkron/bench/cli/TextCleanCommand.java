package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.CheckpointOptions;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.experiments.text.Contender;
import dev.hyperkron.bench.experiments.text.TextCleaningExperiment;
import dev.hyperkron.bench.experiments.text.TextCleaningInputs;
import dev.hyperkron.bench.experiments.text.TextCleaningReport;
import dev.hyperkron.bench.experiments.text.TextCleaningSetup;
import dev.hyperkron.bench.experiments.text.TextRun;
import dev.hyperkron.bench.options.BudgetOptions;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.options.MethodOptions;
import dev.hyperkron.bench.options.OutputOption;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.ResumeMismatchException;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.Device;
import dev.hyperkron.nn.transformer.Pooling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Text data hypercleaning on TREC with a pretrained BERT-family encoder (the paper's Figure 4 and
 * Figure 1, bottom): per number of trainable top layers, every method on the same cached frozen
 * bottom, with the reference lines, a results table, files and plots.
 */
@Command(name = "text-clean", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Text data hypercleaning on TREC: learn one weight per noisy training question so that "
                + "fine-tuning the classification head and the top k encoder layers of a pretrained BERT-family "
                + "model (all-MiniLM-L6-v2 by default) on the weighted loss does well on the clean validation set.",
                "The frozen lower layers run once over every question and their outputs are cached, so an outer step "
                + "costs only the trainable top (the frozen pass is timed separately). The trainable top has no "
                + "dropout: implicit differentiation wants a deterministic inner objective.",
                "Writes a results table, results.csv/json, history.csv, per k a plot of test accuracy vs time with "
                + "the Pareto frontier, and a bar chart of the memory each hypergradient held. The defaults give "
                + "every run 35 s and finish --layers 1 with every method in about 10 minutes on 2 cores."})
public final class TextCleanCommand implements Callable<Integer> {
    /** Seconds per run: nine runs at k = 1 and the frozen pass fit in about 10 minutes on 2 cores. */
    static final double DEFAULT_SECONDS = 35;
    static final String DEFAULT_METHODS = "aid-kfac,aid-ekfac,aid-cg,aid-neumann,one-step,sama,baseline,"
            + "valid-only,valid+noisy";

    @Spec
    CommandSpec command;

    @Option(names = "--data", paramLabel = "DIR", description = "TREC folder with train.json, valid.json, test.json and "
            + "hard_labels.npy (default: ${DEFAULT-VALUE}).", defaultValue = "../shared/data/trec")
    Path data;

    @Option(names = "--layers", split = ",", paramLabel = "K", description = "Trainable top encoder layers, a list "
            + "(e.g. 1,3); each k gets its own frozen cache and plot (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    List<Integer> layers;

    @Option(names = "--method", split = ",", description = "Comma-separated methods: " + Contender.NAMES + ". "
            + "sama is the curvature-free first-order baseline (identity IHVP, mixed derivative by finite "
            + "differences, no double backward). valid-only and valid+noisy "
            + "are reference lines: the same model trained without weights on the validation set alone, or on "
            + "validation and noisy training set (default: ${DEFAULT-VALUE}).", defaultValue = DEFAULT_METHODS)
    List<String> methods;

    @Option(names = {"--seeds", "--seed"}, split = ",", description = "Seeds of the head's initialisation and of the "
            + "batches; each method runs once per seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    List<Long> seeds;

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--inner-steps", description = "Inner steps per outer step, T (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int innerSteps;

    @Option(names = "--batch-size", description = "Questions per training and validation batch "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int batchSize;

    @Option(names = "--inner-optimizer", description = "Inner optimizer: sgd (momentum 0.9) or adam "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "sgd")
    OptimizerKind innerOptimizer;

    @Option(names = "--inner-lr", description = "Inner learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.05")
    double innerLr;

    @Option(names = "--outer-lr", description = "Adam's learning rate on the weights (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.05")
    double outerLr;

    @Option(names = "--weight-decay", description = "Inner L2 coefficient (default: ${DEFAULT-VALUE}).",
            defaultValue = "1e-3")
    double weightDecay;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--max-length", description = "Tokens per question with [CLS] and [SEP]; longer questions are "
            + "truncated (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int maxLength;

    @Option(names = "--pooling", description = "CLS or MEAN pooling of the top layer's states "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "CLS")
    Pooling pooling;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A BERT checkpoint, .onnx or .safetensors (with "
            + "its config.json beside it), instead of the bundled all-MiniLM-L6-v2; needs --tokenizer.")
    Path checkpoint;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "The checkpoint's tokenizer.json.")
    Path tokenizer;

    @Option(names = "--eval-every", description = "Evaluate test accuracy every N outer steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int evalEvery;

    @Option(names = "--warmup-steps", description = "Untimed outer steps of each method per k before its runs, so "
            + "that every method starts JIT-compiled; the frozen pass has already compiled the encoder's kernels "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int warmupSteps;

    @Mixin
    CheckpointOptions checkpoints;

    @Mixin
    OutputOption output;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Budget budget = budgetOptions.budget(DEFAULT_SECONDS);
        TextCleaningSetup setup = new TextCleaningSetup(maxLength, batchSize, innerSteps, innerOptimizer, innerLr,
                outerLr, weightDecay, pooling, evalEvery);
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        checkpoints.validate();
        methodOptions.validate();
        threads.validate();
        threads.apply();
        Device where = device.resolve();
        List<Contender> contenders = Contender.parse(methods, methodOptions.spec());
        List<Integer> ks = List.copyOf(new LinkedHashSet<>(layers));
        List<Long> seedList = List.copyOf(new LinkedHashSet<>(seeds));
        Path folder = output.folder();
        TextCleaningInputs inputs = TextCleaningInputs.read(data, checkpoint, tokenizer);
        ks.forEach(k -> TextCleaningExperiment.requireLayers(k, inputs));
        int total = inputs.checkpoint().config().layers();
        out.printf("Text data hypercleaning on TREC with %s%s: %d noisy training questions, %d clean validation, %d test; "
                        + "%s per run, %d inner steps per outer step, batch %d.%n", inputs.modelName(),
                where == Device.host() ? "" : " on " + where.name(),
                inputs.trec().train().size(), inputs.trec().validation().size(), inputs.trec().test().size(), budget,
                innerSteps, batchSize);
        out.flush();
        List<TextRun> runs = new ArrayList<>();
        for (int k : ks) {
            TextCleaningExperiment experiment = new TextCleaningExperiment(setup, inputs, k, where);
            out.printf("k = %d: frozen bottom (embeddings and %d of %d layers) over all %d questions took %.1f s "
                            + "(states padded to %d tokens; not part of the times below); %d noisy labels are wrong.%n",
                    k, total - k, total, inputs.trec().train().size() + inputs.trec().validation().size()
                            + inputs.trec().test().size(), experiment.frozenSeconds(), experiment.cachedLength(),
                    experiment.corruptedCount());
            out.flush();
            int count = contenders.size() * seedList.size();
            try (Progress progress = budget.steps() > 0 ? Progress.steps("text-clean k=" + k, count, budget.steps())
                    : Progress.seconds("text-clean k=" + k, count, budget.seconds())) {
                for (Contender contender : contenders) {
                    if (warmupSteps > 0) {
                        progress.startRun(contender.name() + " (warm-up)");
                        experiment.warmUp(contender, warmupSteps);
                    }
                    for (long seed : seedList) {
                        progress.startRun(contender.name() + " seed " + seed);
                        Path dir = folder.resolve("checkpoints").resolve("k-" + k)
                                .resolve(contender.name().replaceAll("[^A-Za-z0-9.+-]+", "_")).resolve("seed-" + seed);
                        TextRun run;
                        try {
                            run = experiment.run(contender, seed, budget, progress.listener(), dir, checkpoints.every(),
                                    checkpoints.resume());
                        } catch (ResumeMismatchException e) {
                            throw new UserError("cannot resume from " + dir + ": it was written with other settings ("
                                    + String.join(", ", e.differences()) + "); use the same options, or another --out");
                        }
                        TrainingResult result = run.record().result();
                        progress.finishRun(result.status() == TrainingResult.Status.COMPLETED);
                        runs.add(run);
                        result.warnings().forEach(w -> err.println("hyperkron: warning: " + w));
                        if (result.status() == TrainingResult.Status.DIVERGED) {
                            err.println("hyperkron: " + result.message());
                        }
                    }
                }
            }
        }
        new TextCleaningReport(runs).printAndWrite(out, folder);
        boolean diverged = runs.stream().anyMatch(r -> r.record().result().status() == TrainingResult.Status.DIVERGED);
        return diverged ? 1 : 0;
    }
}
