package dev.hyperkron.bench.cli;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.experiments.meta.FinishedRuns;
import dev.hyperkron.bench.experiments.meta.MetaLearningExperiment;
import dev.hyperkron.bench.experiments.meta.MetaLearningReport;
import dev.hyperkron.bench.experiments.meta.MetaLearningSetup;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bilevel.meta.MetaGradientMethod;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.nn.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Meta-learning (implicit MAML and its baselines) on few-shot classification or sinusoid regression, compared at equal time. */
@Command(name = "meta-learn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Meta-learning: learn an initialisation that adapts to a new task from a few examples. Compares "
                + "iMAML with a KFAC IHVP, iMAML with CG (Rajeswaran et al. 2019), first-order MAML and MAML by "
                + "back-propagation through the inner steps on the same task stream, and reports the meta-test accuracy "
                + "(classification) or MSE (sinusoid) over held-out tasks against meta-training time: table, "
                + "results.csv/json and a PNG+SVG plot."})
public final class MetaLearnCommand implements Callable<Integer> {
    static final List<String> METHODS = List.of("imaml-kfac", "imaml-cg", "fomaml", "maml");

    @Option(names = "--task", description = "classification (class splits of --data), sinusoid, or omniglot:DIR "
            + "(DIR holds images_background and images_evaluation) (default: ${DEFAULT-VALUE}).",
            defaultValue = "classification")
    String task;

    @Option(names = "--data", description = "Data set of --task classification: fashion (/usr/share/datasets/"
            + "fashion-mnist) or digits (embedded); default: fashion when installed, else digits.")
    String data;

    @Option(names = "--train-classes", description = "Classification: classes 0..K-1 meta-train, the rest meta-test "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "6")
    int trainClasses;

    @Option(names = "--ways", description = "Classes per task (default: 3 for classification, 5 for omniglot).")
    Integer ways;

    @Option(names = "--shots", description = "Support examples per class, or support points for sinusoid "
            + "(default: 1 for classification and omniglot, 10 for sinusoid).")
    Integer shots;

    @Option(names = "--query", description = "Query examples per class, or query points for sinusoid "
            + "(default: 5 for classification and omniglot, 10 for sinusoid).")
    Integer queries;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the classification MLP "
            + "(default: ${DEFAULT-VALUE}; sinusoid always uses 40,40).", defaultValue = "64,64")
    int[] hidden;

    @Option(names = "--method", split = ",", description = "Comma-separated methods: imaml-kfac, imaml-cg, fomaml, maml "
            + "(default: all).", defaultValue = "imaml-kfac,imaml-cg,fomaml,maml")
    List<String> methods;

    @Option(names = "--cg-iterations", description = "CG iterations of imaml-cg (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int cgIterations;

    @Option(names = "--lam", description = "Proximal regularization lam of the inner loss L_support + lam/2 "
            + "||theta - phi||^2 (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double lam;

    @Option(names = "--inner-steps", description = "Gradient steps of each task's adaptation (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int innerSteps;

    @Option(names = "--inner-lr", description = "Step size of the adaptation (default: 0.1 for classification and "
            + "omniglot, 0.01 for sinusoid).")
    Double innerLr;

    @Option(names = "--meta-batch", description = "Tasks per meta-step (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int metaBatch;

    @Option(names = "--outer-lr", description = "Adam learning rate of the meta-parameters (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.001")
    double outerLr;

    @Option(names = "--meta-steps", description = "Budget in meta-steps per method (exclusive with --seconds).")
    Integer metaSteps;

    @Option(names = "--seconds", description = "Budget in meta-training seconds per method, evaluation not counted "
            + "(default when --meta-steps is not given: 60).")
    Double seconds;

    @Option(names = "--test-tasks", description = "Meta-test tasks every evaluation scores (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int testTasks;

    @Option(names = "--eval-points", description = "Evaluations spread over each run's budget, besides the one at the "
            + "start (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int evalPoints;

    @Option(names = "--warmup-steps", description = "Untimed meta-steps of each method before its run, so that every "
            + "method starts JIT-compiled (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int warmupSteps;

    @Option(names = "--seeds", description = "Runs per method, seeds --seed, --seed+1, ... (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int seeds;

    @Option(names = "--resume", description = "Read back the runs that finished under --out (OUT/runs) and run only "
            + "the others; refused if they ran with other settings (--seeds and --threads may change).")
    boolean resume;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        Budget budget = budget();
        MetaLearningSetup setup = setup();
        List<MetaGradientMethod> resolved = methods();
        threads.apply();
        Path out = run.folder();
        MetaLearningExperiment experiment = new MetaLearningExperiment(setup, run.seed());
        run.out().printf("Meta-learning: %s; %d inner steps of size %s, lam %s, meta-batch %d, Adam %s; %d meta-test "
                + "tasks; budget %s per method.%n", experiment.description(), setup.innerSteps(), setup.innerLr(),
                setup.lam(), setup.metaBatch(), setup.outerLr(), setup.testTasks(), budget);
        List<MetaLearningExperiment.MethodRun> runs = new ArrayList<>();
        Map<String, Object> settings = describe(setup, budget);
        settings.keySet().removeAll(List.of("seeds", "threads"));
        settings.put("evalPoints", evalPoints);
        FinishedRuns finished = new FinishedRuns(out.resolve("runs"), settings);
        int total = resolved.size() * seeds;
        try (Progress progress = budget.steps() > 0 ? Progress.steps("meta-learn", total, budget.steps())
                : Progress.seconds("meta-learn", total, budget.seconds())) {
            for (MetaGradientMethod method : resolved) {
                for (int s = 0; s < seeds; s++) {
                    long seed = run.seed() + s;
                    progress.startRun(method.name() + (seeds > 1 ? " seed " + seed : ""));
                    Optional<MetaLearningExperiment.MethodRun> done = resume ? finished.find(method.name(), seed)
                            : Optional.empty();
                    if (done.isPresent()) {
                        progress.note(run.err(), method.name() + " seed " + seed + ": already finished, read back");
                    }
                    MetaLearningExperiment.MethodRun r = done.isPresent() ? done.get()
                            : experiment.run(method, budget, evalPoints, warmupSteps, seed, progress::advance);
                    if (done.isEmpty()) {
                        finished.save(r);
                    }
                    progress.finishRun(r.failure().isEmpty());
                    r.failure().ifPresent(f -> progress.note(run.err(), "hyperkron: " + f));
                    runs.add(r);
                }
            }
        }
        MetaLearningReport report = new MetaLearningReport(experiment.description(), experiment.title(), experiment.accuracy(), runs);
        run.out().println();
        run.out().print(report.table());
        run.out().println("95% CI: normal interval of the mean over the " + setup.testTasks() + " meta-test tasks"
                + (seeds > 1 ? " (score and interval averaged over " + seeds + " seeds)" : "") + ".");
        for (Path f : report.write(out, describe(setup, budget))) {
            run.out().println("wrote " + f);
        }
        return 0;
    }

    private Budget budget() {
        if (metaSteps != null && seconds != null) {
            throw new UserError("give either --meta-steps or --seconds, not both");
        }
        if (metaSteps != null) {
            Checks.atLeast("--meta-steps", metaSteps, 1);
            return Budget.steps(metaSteps);
        }
        double s = seconds == null ? 60 : seconds;
        Checks.positive("--seconds", s);
        return Budget.seconds(s);
    }

    /** The options with the task's defaults filled in, each checked. */
    private MetaLearningSetup setup() {
        boolean sinusoid = task.equals("sinusoid");
        boolean omniglot = task.startsWith("omniglot:");
        if (!sinusoid && !omniglot && !task.equals("classification")) {
            throw new UserError("unknown --task '" + task + "': use classification, sinusoid or omniglot:DIR");
        }
        if (omniglot && !Files.isDirectory(Path.of(task.substring("omniglot:".length())))) {
            throw new UserError("--task " + task + ": no such folder (it should hold images_background and "
                    + "images_evaluation from https://github.com/brendenlake/omniglot)");
        }
        String dataSet = data != null ? data : Files.isDirectory(Mnist.FASHION_MNIST_DIR) ? "fashion" : "digits";
        if (!dataSet.equals("fashion") && !dataSet.equals("digits")) {
            throw new UserError("unknown --data '" + dataSet + "': use fashion or digits");
        }
        int w = ways != null ? ways : omniglot ? 5 : 3;
        int k = shots != null ? shots : sinusoid ? 10 : 1;
        int q = queries != null ? queries : sinusoid ? 10 : 5;
        double lr = innerLr != null ? innerLr : sinusoid ? 0.01 : 0.1;
        Checks.atLeast("--ways", w, 2);
        Checks.atLeast("--shots", k, 1);
        Checks.atLeast("--query", q, 1);
        Checks.atLeast("--train-classes", trainClasses, 1);
        for (int h : hidden) {
            Checks.atLeast("--hidden", h, 1);
        }
        Checks.atLeast("--cg-iterations", cgIterations, 1);
        Checks.positive("--lam", lam);
        Checks.atLeast("--inner-steps", innerSteps, 1);
        Checks.positive("--inner-lr", lr);
        Checks.atLeast("--meta-batch", metaBatch, 1);
        Checks.positive("--outer-lr", outerLr);
        Checks.atLeast("--test-tasks", testTasks, 2);
        Checks.atLeast("--eval-points", evalPoints, 1);
        Checks.atLeast("--warmup-steps", warmupSteps, 0);
        Checks.atLeast("--seeds", seeds, 1);
        threads.validate();
        return new MetaLearningSetup(task, dataSet, trainClasses, w, k, q, hidden, innerSteps, lr, lam, metaBatch, outerLr,
                testTasks, cgIterations);
    }

    private List<MetaGradientMethod> methods() {
        List<MetaGradientMethod> resolved = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String m : methods) {
            String name = m.trim();
            if (seen.contains(name)) {
                throw new UserError("--method names " + name + " twice; each method runs once");
            }
            seen.add(name);
            resolved.add(switch (name) {
                case "imaml-kfac" -> MetaGradientMethod.imamlKfac();
                case "imaml-cg" -> MetaGradientMethod.imamlCg(cgIterations);
                case "fomaml" -> MetaGradientMethod.firstOrder();
                case "maml" -> MetaGradientMethod.unrolled();
                default -> throw new UserError("unknown --method '" + name + "': use " + String.join(", ", METHODS));
            });
        }
        return resolved;
    }

    private Map<String, Object> describe(MetaLearningSetup s, Budget budget) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", s.task());
        if (s.task().equals("classification")) {
            m.put("data", s.data());
            m.put("trainClasses", s.trainClasses());
        }
        m.put("ways", s.ways());
        m.put("shots", s.shots());
        m.put("queries", s.queries());
        m.put("hidden", s.hidden());
        m.put("innerSteps", s.innerSteps());
        m.put("innerLr", s.innerLr());
        m.put("lam", s.lam());
        m.put("metaBatch", s.metaBatch());
        m.put("outerLr", s.outerLr());
        m.put("testTasks", s.testTasks());
        m.put("cgIterations", s.cgIterations());
        m.put("budget", budget.toString());
        m.put("seed", run.seed());
        m.put("seeds", seeds);
        m.put("threads", dev.hyperkron.core.kernels.Parallel.threads());
        return m;
    }
}
