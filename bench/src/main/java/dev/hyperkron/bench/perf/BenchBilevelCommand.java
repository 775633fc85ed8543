package dev.hyperkron.bench.perf;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.bench.options.InnerOptions;
import dev.hyperkron.bench.options.MethodOptions;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.experiments.HypercleaningExperiment;
import dev.hyperkron.bench.experiments.HypercleaningSetup;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.HistoryEntry;
import dev.hyperkron.bilevel.train.TrainingResult;
import dev.hyperkron.core.kernels.Parallel;
import dev.hyperkron.core.Device;
import dev.hyperkron.kfac.FisherType;
import dev.hyperkron.nn.data.Mnist;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Wall-clock time per outer step of every hypergradient method on data hypercleaning with an MLP
 * (one hidden layer of 256 ReLU units), split into the inner phase and the hypergradient, at
 * several thread counts: the performance table of the bilevel issue, and the Java half of
 * bench/scripts/compare-bilevel-torch.sh.
 */
@Command(name = "bench-bilevel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times outer steps of the hypergradient methods on data hypercleaning (MLP, one hidden layer, "
                + "F32): median seconds per step after warm-up, inner phase vs hypergradient, per thread count. "
                + "Prints a table and the target ratios, writes bench-bilevel.csv and bench-bilevel.json."})
public final class BenchBilevelCommand implements Callable<Integer> {
    /** The methods timed by default, in table order. */
    static final List<String> METHODS = List.of("aid-kfac", "aid-kfac-mc", "aid-ekfac", "aid-cg", "aid-neumann",
            "aid-identity", "one-step", "itd");
    /** The other algorithms, timed when asked for. */
    static final List<String> ALGORITHMS = List.of("soba", "soba-kfac", "amigo", "amigo-kfac", "bome", "f2sa", "sama");
    /**
     * aid-kfac, aid-kfac-mc and aid-ekfac with their factors from the inner steps (--kfac-factors inner),
     * timed when asked: named beside the fresh ones, both are timed in the same interleaved rounds.
     */
    static final List<String> INNER_FACTORS = List.of("aid-kfac-inner", "aid-kfac-mc-inner", "aid-ekfac-inner");
    private static final String INNER_SUFFIX = "-inner";

    @Option(names = "--data", description = "fashion, digits, idx:DIR (MNIST-format files), or auto: fashion when "
            + "installed at /usr/share/datasets/fashion-mnist, else digits (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
    String data;

    @Option(names = "--method", split = ",", description = "Comma-separated methods, from: aid-kfac, aid-kfac-mc, "
            + "aid-ekfac, aid-cg, aid-neumann, aid-identity, one-step, itd (default: these), and soba, soba-kfac, amigo, "
            + "amigo-kfac, bome, f2sa, sama, and aid-kfac-inner, aid-kfac-mc-inner, aid-ekfac-inner (factors from the "
            + "inner steps, as --kfac-factors inner).")
    List<String> methods;

    @Option(names = "--threads", split = ",", description = "Thread counts to time (default: ${DEFAULT-VALUE}).",
            defaultValue = "1,2")
    List<Integer> threads;

    @Option(names = "--hidden", description = "Hidden units of the MLP (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int hidden;

    @Option(names = "--batch-size", description = "Batch size of every role (default: ${DEFAULT-VALUE}).", defaultValue = "128")
    int batchSize;

    @Mixin
    InnerOptions inner;

    @Option(names = "--warmup", description = "Outer steps run before measuring, per method and thread count "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int warmup;

    @Option(names = "--steps", description = "Measured outer steps per method, thread count and round "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int steps;

    @Option(names = "--rounds", description = "Rounds over all methods and thread counts, interleaved so that load on a "
            + "shared machine spreads over all of them; medians pool the rounds (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int rounds;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--train-size", description = "Noisy training examples; a multiple of the batch size keeps every batch full "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int trainSize;

    @Option(names = "--val-size", description = "Clean validation (and test) examples (default: ${DEFAULT-VALUE}).",
            defaultValue = "384")
    int validationSize;

    @Mixin
    DeviceOption deviceOption;

    @Mixin
    RunOptions run;


    @Override
    public Integer call() throws Exception {
        validate();
        Path out = run.folder();
        List<String> keys = methods == null ? METHODS : methods.stream().map(String::trim).toList();
        for (String k : keys) {
            if (!METHODS.contains(k) && !ALGORITHMS.contains(k) && !INNER_FACTORS.contains(k)) {
                throw new UserError("unknown method '" + k + "' for bench-bilevel: use one of " + METHODS + ", "
                        + ALGORITHMS + " or " + INNER_FACTORS);
            }
        }
        if (keys.stream().distinct().count() < keys.size()) {
            throw new UserError("--method names a method twice: " + String.join(",", keys));
        }
        keys.forEach(this::build); // refuses a method the options do not apply to before any timing
        Device device = deviceOption.resolve();
        String dataSet = resolveDataSet();
        HypercleaningExperiment experiment = new HypercleaningExperiment(new HypercleaningSetup(dataSet, "mlp",
                new int[] {hidden}, 0.45, trainSize, validationSize, validationSize, batchSize, inner.steps(),
                inner.learningRate(), 0, inner.weightDecay(), run.seed())).on(device);
        PrintWriter console = run.out();
        String model = "MLP " + experiment.problem().train().exampleShape().size() + "-" + hidden + "-"
                + experiment.problem().train().classes() + " (ReLU)";
        console.printf(Locale.ROOT, "bench-bilevel: data hypercleaning on %s, %s, F32 on %s, batch %d for every role, T = %d inner "
                        + "SGD steps (lr %s, momentum 0.9), weight decay %s, damping %s (KFAC/EKFAC: %s with the L2 term); "
                        + "%d warm-up + %d measured outer steps x %d round(s) per method and thread count.%n",
                dataSet, model, device.name(), batchSize, inner.steps(), inner.learningRate(), inner.weightDecay(),
                methodOptions.spec().damping(), methodOptions.spec().damping() + inner.weightDecay(), warmup, steps,
                rounds);
        int originalThreads = Parallel.threads();
        Map<String, List<HistoryEntry>> measured = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        try {
            for (int round = 0; round < rounds; round++) {
                for (int t : threads) {
                    Parallel.setThreads(t);
                    for (String key : keys) {
                        HypergradientMethod method = build(key);
                        names.put(key, method.name());
                        List<HistoryEntry> entries = timeSteps(experiment, method);
                        measured.computeIfAbsent(key + "@" + t, k -> new ArrayList<>()).addAll(entries);
                        console.printf(Locale.ROOT, "  round %d, %d thread(s), %-14s %8.1f ms/step%n", round + 1, t,
                                method.name(), 1000 * StepTimes.median(entries.stream()
                                        .map(e -> e.innerSeconds() + e.hypergradientSeconds()).toList()));
                    }
                }
            }
        } finally {
            Parallel.setThreads(originalThreads);
        }
        List<StepTimes> results = new ArrayList<>();
        for (int t : threads) {
            for (String key : keys) {
                List<HistoryEntry> e = measured.get(key + "@" + t);
                results.add(new StepTimes(names.get(key), key, t, e.stream().map(HistoryEntry::innerSeconds).toList(),
                        e.stream().map(HistoryEntry::hypergradientSeconds).toList()));
            }
        }
        BilevelTimingReport report = new BilevelTimingReport(results);
        console.println();
        console.print(report.table());
        List<String> ratios = report.targetRatios();
        if (!ratios.isEmpty()) {
            console.println();
            ratios.forEach(console::println);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", dataSet);
        config.put("model", model);
        config.put("dtype", "F32");
        config.put("device", device.name());
        config.put("batchSize", batchSize);
        config.put("innerSteps", inner.steps());
        config.put("innerLr", inner.learningRate());
        config.put("weightDecay", inner.weightDecay());
        MethodSpec spec = methodOptions.spec();
        config.put("damping", spec.damping());
        config.put("kfacDamping", spec.damping() + inner.weightDecay());
        config.put("iterations", spec.iterations());
        config.put("neumannAlpha", spec.neumannAlpha());
        config.put("kfacFactors", spec.innerStepFactors() ? MethodSpec.INNER_FACTORS : MethodSpec.FRESH_FACTORS);
        config.put("curvatureRefresh", spec.refresh());
        config.put("warmup", warmup);
        config.put("steps", steps);
        config.put("rounds", rounds);
        config.put("java", System.getProperty("java.version"));
        for (Path p : report.write(out, config)) {
            console.println("wrote " + p);
        }
        return 0;
    }

    /** Runs warm-up plus measured steps of a fresh problem and returns the measured steps' history. */
    private List<HistoryEntry> timeSteps(HypercleaningExperiment experiment, HypergradientMethod method) {
        TrainingResult result = experiment.run(method, Budget.steps(warmup + steps), 0, null, 0, false, Map.of(), List.of());
        if (result.status() != TrainingResult.Status.COMPLETED) {
            throw new IllegalStateException("bench-bilevel: " + method.name() + " did not complete its steps: "
                    + result.message());
        }
        return result.history().subList(warmup, warmup + steps);
    }

    private HypergradientMethod build(String key) {
        if (INNER_FACTORS.contains(key)) {
            return build(key.substring(0, key.length() - INNER_SUFFIX.length()), true);
        }
        return build(key, methodOptions.spec().innerStepFactors());
    }

    private HypergradientMethod build(String key, boolean innerStepFactors) {
        MethodSpec type2 = methodOptions.spec(FisherType.TYPE2).withInnerStepFactors(innerStepFactors);
        return switch (key) {
            case "aid-kfac-mc" -> methodOptions.spec(FisherType.MC).withInnerStepFactors(innerStepFactors).build("aid-kfac");
            default -> type2.build(key);
        };
    }

    private String resolveDataSet() {
        return switch (data) {
            case "auto" -> Files.isDirectory(Mnist.FASHION_MNIST_DIR) ? "fashion" : "digits";
            case "fashion", "digits" -> data;
            default -> {
                if (data.startsWith("idx:")) {
                    yield data;
                }
                throw new UserError("unknown data set '" + data + "' for bench-bilevel: use fashion, digits, idx:DIR "
                        + "or auto");
            }
        };
    }

    private void validate() {
        for (int t : threads) {
            Checks.threads("--threads", t);
        }
        Checks.atLeast("--hidden", hidden, 1);
        Checks.atLeast("--batch-size", batchSize, 1);
        inner.validate();
        Checks.atLeast("--warmup", warmup, 0);
        Checks.atLeast("--steps", steps, 1);
        Checks.atLeast("--rounds", rounds, 1);
        methodOptions.validate();
        Checks.atLeast("--train-size", trainSize, 1);
        Checks.atLeast("--val-size", validationSize, 1);
    }
}
