package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.DataSets;
import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import dev.hyperkron.bench.experiments.HypercleaningSetup.OptimizerKind;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.figures.Contenders;
import dev.hyperkron.bench.experiments.figures.FigureCase;
import dev.hyperkron.bench.experiments.figures.FigureFiles;
import dev.hyperkron.bench.experiments.figures.FigureRun;
import dev.hyperkron.bench.experiments.figures.FigureScale;
import dev.hyperkron.bench.experiments.figures.RunSummary;
import dev.hyperkron.bench.options.FigureOptions;
import dev.hyperkron.core.Device;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.nn.data.Mnist;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.hyperkron.bench.options.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What the figure commands share: options, checks, the runs (see {@link FigureRunner}), the
 * summary table and files; each figure says which cases it runs and what it plots.
 */
abstract class FigureCommand implements Callable<Integer> {

    @Mixin
    FigureOptions options;

    /**
     * What a figure runs.
     *
     * @param cases       the settings, each run for every contender and seed
     * @param scale       the sizes and schedule every case uses
     * @param description one line saying what runs, printed first
     */
    record Plan(List<FigureCase> cases, FigureScale scale, String description) {
    }

    /** The command's name (its picocli name), in the progress bar and file names. */
    final String name() {
        return getClass().getAnnotation(Command.class).name();
    }

    /** The contenders named by --method. */
    abstract List<String> methodNames();

    /** Checks the command's own options (those of {@link FigureOptions} are checked before). */
    abstract void validate();

    /** The cases to run, with data loaded. */
    abstract Plan plan(List<String> contenders);

    /** Writes the figure's plots into {@code dir}; returns them. */
    abstract List<Path> plots(Path dir, List<FigureRun> runs) throws IOException;

    @Override
    public Integer call() throws Exception {
        options.validate();
        validate();
        options.applyThreads();
        Device where = options.device();
        MethodSpec spec = options.methodSpec();
        List<String> contenders = Contenders.checked(methodNames(), spec);
        if (where != Device.host() && contenders.contains("aid-exact")) {
            throw new UserError("aid-exact builds the inner Hessian densely on the host; run it with --device cpu");
        }
        Plan plan = plan(contenders);
        Budget budget = options.budget(plan.scale());
        // every case's split is checked (sizes against the data) before the first run, not hours into the figure
        plan.cases().forEach(c -> new HypercleaningExperiment(c.setup().withSeed(options.run().seed()), c.data()));
        PrintWriter out = options.run().out();
        out.printf("%s%n%s per run, %d seed%s, test loss evaluated every %d outer steps%s.%n", plan.description(), budget,
                options.seeds(), options.seeds() == 1 ? "" : "s", plan.scale().evaluateEvery(),
                where == Device.host() ? "" : ", on " + where.name());
        out.flush();
        List<FigureRun> runs = new FigureRunner(options, budget, plan.scale().evaluateEvery(), where).run(name(),
                plan.cases());
        out.println();
        out.print(FigureFiles.summary(RunSummary.of(runs)));
        if (options.seeds() > 1) {
            out.println("(mean ± standard deviation over " + options.seeds() + " seeds)");
        }
        out.println("min test loss: the lowest test loss a run reached; s to min and steps to min: when it did (the "
                + "outer steps' clock, evaluations excluded).");
        out.println();
        Path dir = options.run().folder();
        List<Path> files = new ArrayList<>(FigureFiles.write(dir, runs, settings(plan, budget)));
        files.addAll(plots(dir, runs));
        files.forEach(p -> out.println("wrote " + p));
        return 0;
    }

    /** The run's settings, recorded in results.json. */
    private Map<String, Object> settings(Plan plan, Budget budget) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", name());
        s.put("full", options.full());
        s.put("seeds", options.seeds());
        s.put("firstSeed", options.run().seed());
        s.put("budget", budget.toString());
        s.put("scale", plan.scale());
        s.put("cases", plan.cases().stream().map(c -> Map.of("label", c.label(), "setup", c.setup().settings())).toList());
        s.put("methodSettings", options.methodSpec().settings());
        return s;
    }

    /**
     * The data set: {@code requested} unless it is "auto", which is Fashion-MNIST when installed
     * and else the embedded digits (said on standard error, with how to install Fashion-MNIST).
     */
    String dataOrFallback(String requested) {
        if (!requested.equals("auto")) {
            return requested;
        }
        if (Files.isDirectory(Mnist.FASHION_MNIST_DIR)) {
            return "fashion";
        }
        options.run().err().println("hyperkron: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist "
                + "puts it in " + Mnist.FASHION_MNIST_DIR + "): running on the embedded digits instead");
        return "digits";
    }

    /** The scale for a data set: the digits get their own, any other set the MNIST-sized one. */
    FigureScale scaleFor(String data) {
        boolean digits = data.equals("digits");
        return options.scale(FigureScale.quick(digits), FigureScale.full(digits));
    }

    /** The scale for a data set with another quick budget per run (a figure of many runs gives each less). */
    FigureScale scaleFor(String data, double quickSeconds) {
        boolean digits = data.equals("digits");
        return options.scale(FigureScale.quick(digits).withSeconds(quickSeconds), FigureScale.full(digits));
    }

    /** A data-hypercleaning setup of a case: SGD with momentum 0.9 at both levels, as the paper's code. */
    static HypercleaningSetup setup(String data, String model, int[] hidden, int batchSize, FigureScale s) {
        return new HypercleaningSetup(data, model, hidden, s.noise(), s.trainSize(), s.validationSize(), s.testSize(),
                batchSize, s.innerSteps(), s.innerLr(), s.outerLr(), s.weightDecay(), 0, OptimizerKind.SGD,
                OptimizerKind.SGD);
    }

    /** Refuses an MLP hidden size below 1. */
    static void checkHidden(int[] hidden) {
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
    }

    /** Loads a data set once for all the cases and seeds that use it. */
    static DataSets.AsDistributed load(String data) {
        return DataSets.loadAsDistributed(data);
    }
}
