package dev.hyperkron.bench.cli;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.DataSets;
import dev.hyperkron.bench.experiments.MethodSpec;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.PoisonRun;
import dev.hyperkron.bench.experiments.PoisoningExperiment;
import dev.hyperkron.bench.experiments.PoisoningReport;
import dev.hyperkron.bench.experiments.PoisoningSetup;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.BudgetOptions;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.InnerOptions;
import dev.hyperkron.bench.options.MethodOptions;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bench.options.DeviceOption;
import dev.hyperkron.core.Device;
import dev.hyperkron.bilevel.methods.HypergradientMethod;
import dev.hyperkron.bilevel.tasks.AttackEvaluation;
import dev.hyperkron.bilevel.tasks.DataPoisoning;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.bilevel.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Data poisoning (Munoz-Gonzalez et al. 2017) by each hypergradient method, measured on retrained victims, and its detection by hypercleaning. */
@Command(name = "poison", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Data poisoning as a bilevel problem: an attacker adds a budget of poison examples (copies of "
                + "training examples with flipped labels) to the training set and moves their features within each "
                + "feature's range over the training set (and --epsilon of their start), optionally their labels on the "
                + "simplex, to MAXIMIZE the victim's validation loss; the outer loss is minus that loss. Each method "
                + "attacks for the same budget; the attack is then measured honestly: a fresh victim is trained from "
                + "scratch to a minimum (Newton-CG) on clean + poison and on the clean set alone, and the test accuracy "
                + "drop is reported. With --defend, data hypercleaning (AID-KFAC) of the poisoned set against the clean "
                + "validation set flags examples whose weight falls below 0.5, scored against the poison.",
                "Prints a table and writes results.csv/json and accuracy-drop-vs-budget.svg/png."})
public final class PoisonCommand implements Callable<Integer> {

    @Option(names = "--data", description = "digits (embedded), fashion, idx:DIR or cifar:DIR (default: ${DEFAULT-VALUE}).",
            defaultValue = "digits")
    String data;

    @Option(names = "--model", description = "The victim: linear or mlp (tanh) (default: ${DEFAULT-VALUE}).",
            defaultValue = "linear")
    String model;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the mlp (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int[] hidden;

    @Option(names = "--train-size", description = "Clean training examples N (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int trainSize;

    @Option(names = "--val-size", description = "Clean validation examples the attacker and the defense read "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "300")
    int validationSize;

    @Option(names = "--test-size", description = "Test examples; 0 for the official test set, or all examples left over "
            + "for a set without one (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int testSize;

    @Option(names = "--batch-size", description = "Clean training and validation examples per batch of the attack and "
            + "the defense, 0 for full batch; the poison is in every training batch (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int batchSize;

    @Option(names = "--budget", split = ",", description = "Poison budgets as fractions of the training set, each in "
            + "(0, 1] (default: ${DEFAULT-VALUE}).", defaultValue = "0.01,0.03,0.1")
    List<Double> budgets;

    @Option(names = "--method", split = ",", description = "Comma-separated hypergradient methods, any of "
            + MethodSpec.NAMES + " (default: ${DEFAULT-VALUE}).", defaultValue = "aid-kfac,aid-cg,one-step")
    List<String> methods;

    @Option(names = "--epsilon", description = "L-infinity radius (in standardized feature units) around each poison's "
            + "start that its features stay within, on top of the box of each feature's training range "
            + "(default: ${DEFAULT-VALUE}, the box alone).", defaultValue = "Infinity")
    double epsilon;

    @Option(names = "--learn-labels", description = "Learn the poison's labels too, relaxed to the probability simplex "
            + "(the retrained victim and the defense get each label's most likely class).")
    boolean learnLabels;

    @Option(names = "--outer-lr", description = "Adam's learning rate on the poison features (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double outerLr;

    @Option(names = "--tolerance", description = "Gradient norm the retrained victims reach by Newton-CG; a victim that "
            + "stops above it is marked * (default: ${DEFAULT-VALUE}).", defaultValue = "1e-4")
    double tolerance;

    @Option(names = "--defend", description = "Run data hypercleaning (AID-KFAC) on each final poisoned training set and "
            + "report precision, recall and F1 of flagging the poison.")
    boolean defend;

    @Option(names = "--defend-steps", description = "Outer steps of the hypercleaning defense (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int defendSteps;

    @Option(names = "--seeds", paramLabel = "N", description = "Repeat every run with N seeds (--seed, --seed + 1, ...): "
            + "other splits, poison sources and initialisations (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int seeds;

    @Option(names = "--warmup-steps", description = "Untimed outer steps of each method before the runs, so that every "
            + "method starts JIT-compiled (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int warmupSteps;

    @Mixin
    InnerOptions inner;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    BudgetOptions budgetOptions;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    /** Seconds per attack when neither --steps nor --seconds is given. */
    static final double DEFAULT_SECONDS = 20;

    @Override
    public Integer call() throws Exception {
        Budget budget = budgetOptions.budget(DEFAULT_SECONDS);
        validate();
        threads.apply();
        Device where = device.resolve();
        MethodSpec spec = methodOptions.spec();
        List<HypergradientMethod> attacks = resolve(spec);
        if (methods.stream().anyMatch(m -> m.trim().equals("itd-truncated")) && spec.truncation() > inner.steps()) {
            throw new UserError("--truncation (" + spec.truncation() + ") must be at most --inner-steps (" + inner.steps()
                    + "): itd-truncated back-propagates through the last steps of the inner phase");
        }
        HypergradientMethod defense = spec.build("aid-kfac");
        Path out = run.folder();
        DataSets.AsDistributed loaded = DataSets.loadAsDistributed(data);
        PoisoningSetup base = new PoisoningSetup(data, model, hidden, trainSize, validationSize, testSize, batchSize, epsilon,
                learnLabels, inner.steps(), inner.learningRate(), outerLr, inner.weightDecay(), tolerance,
                defend ? defendSteps : 0, run.seed());
        PoisoningExperiment first = new PoisoningExperiment(base, loaded, where);
        run.out().printf(Locale.ROOT, "Data poisoning on %s against %s%s: %d clean training examples, %d validation, "
                + "%d test; budgets %s; %s per attack%s.%n", data, ModelSpec.describe(model, hidden),
                where == Device.host() ? "" : " on " + where.name(), trainSize, validationSize,
                first.testCount(), budgetsText(), budget, seeds > 1 ? ", " + seeds + " seeds" : "");
        for (HypergradientMethod m : warmupSteps > 0 ? attacks : List.<HypergradientMethod>of()) {
            first.attack(first.problem(budgets.get(0)), m, Budget.steps(warmupSteps), List.of());
        }
        List<PoisonRun> runs = new ArrayList<>();
        int count = seeds * budgets.size() * attacks.size();
        try (Progress progress = budget.steps() > 0 ? Progress.steps("poison", count, budget.steps())
                : Progress.seconds("poison", count, budget.seconds())) {
            for (int s = 0; s < seeds; s++) {
                PoisoningExperiment experiment = s == 0 ? first : new PoisoningExperiment(base.withSeed(run.seed() + s), loaded,
                        where);
                for (double fraction : budgets) {
                    DataPoisoning start = experiment.problem(fraction);
                    progress.startRun(String.format(Locale.ROOT, "%.0f%% flipped copies", 100 * fraction));
                    runs.add(measure(experiment, start, start.initialOuter(), fraction, PoisonRun.FLIPPED, null, defense));
                    for (HypergradientMethod method : attacks) {
                        progress.startRun(String.format(Locale.ROOT, "%.0f%% %s", 100 * fraction, method.name()));
                        DataPoisoning problem = experiment.problem(fraction);
                        TrainingResult result = experiment.attack(problem, method, budget, List.of(progress.listener()));
                        progress.finishRun(result.status() == TrainingResult.Status.COMPLETED);
                        if (result.status() == TrainingResult.Status.DIVERGED) {
                            progress.note(run.err(), "hyperkron: " + result.message());
                        }
                        runs.add(measure(experiment, problem, result.lambda(), fraction, method.name(), result, defense));
                    }
                }
            }
        }
        PoisoningReport report = new PoisoningReport(base, runs);
        run.out().println();
        run.out().print(report.table());
        if (report.anyUnconverged()) {
            run.out().printf(Locale.ROOT, "* a retrained victim stopped above the gradient tolerance %s (see results.csv)%n",
                    tolerance);
        }
        for (Path p : report.write(out)) {
            run.out().println("wrote " + p);
        }
        boolean diverged = runs.stream().anyMatch(r -> !r.status().equals("COMPLETED"));
        return diverged ? 1 : 0;
    }

    /** Retrains the victims on the poison {@code lambda} and, with --defend, runs the defense on it. */
    private PoisonRun measure(PoisoningExperiment experiment, DataPoisoning problem, Params lambda, double fraction,
                              String method, TrainingResult attack, HypergradientMethod defense) {
        AttackEvaluation.Outcome outcome = experiment.evaluate(problem, lambda);
        Map<String, Double> scores = defend ? experiment.defend(problem, lambda, defense) : Map.of();
        boolean stepped = attack != null && attack.last() != null;
        return new PoisonRun(experiment.setup().seed(), fraction, problem.poisonCount(), method,
                stepped ? attack.last().step() : 0, stepped ? attack.last().seconds() : 0,
                attack == null ? "COMPLETED" : attack.status().name(),
                stepped ? -attack.last().outerLoss() : Double.NaN, outcome.cleanValidationLoss(),
                outcome.poisonedValidationLoss(), outcome.clean().accuracy(), outcome.poisoned().accuracy(),
                outcome.accuracyDrop(), outcome.converged(), scores.getOrDefault("precision", Double.NaN),
                scores.getOrDefault("recall", Double.NaN), scores.getOrDefault("f1", Double.NaN));
    }

    private String budgetsText() {
        return budgets.stream().map(b -> String.format(Locale.ROOT, "%s%% (%d poison)", trim(100 * b),
                Math.max(1, Math.round(b * trainSize)))).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The attack methods, each once; refuses names MethodSpec does not know. */
    private List<HypergradientMethod> resolve(MethodSpec spec) {
        List<HypergradientMethod> resolved = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String m : methods) {
            HypergradientMethod method = spec.build(m.trim());
            if (!names.add(method.name())) {
                throw new UserError("--method names " + method.name() + " twice; each method runs once");
            }
            resolved.add(method);
        }
        return resolved;
    }

    /** Every option's range, before any data is loaded or any step is run. */
    private void validate() {
        if (!model.equals("linear") && !model.equals("mlp")) {
            throw new UserError("--model must be linear or mlp, got '" + model + "'");
        }
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
        Checks.atLeast("--train-size", trainSize, 1);
        Checks.atLeast("--val-size", validationSize, 1);
        Checks.atLeast("--test-size", testSize, 0);
        Checks.atLeast("--batch-size", batchSize, 0);
        Set<Double> seen = new LinkedHashSet<>();
        for (double b : budgets) {
            if (!(b > 0 && b <= 1)) {
                throw new UserError("--budget values must be fractions in (0, 1] of the training set, got " + b);
            }
            if (!seen.add(b)) {
                throw new UserError("--budget names " + b + " twice; each budget runs once");
            }
        }
        if (!(epsilon > 0)) {
            throw new UserError("--epsilon must be > 0 (Infinity for the box alone), got " + epsilon);
        }
        Checks.positive("--outer-lr", outerLr);
        Checks.positive("--tolerance", tolerance);
        Checks.atLeast("--defend-steps", defendSteps, 1);
        Checks.atLeast("--seeds", seeds, 1);
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        inner.validate();
        methodOptions.validate();
        threads.validate();
    }
}
