package dev.hyperkron.bench.experiments.meta;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.DataSets;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bilevel.meta.Adaptation;
import dev.hyperkron.bilevel.meta.MetaEvaluation;
import dev.hyperkron.bilevel.meta.MetaGradientMethod;
import dev.hyperkron.bilevel.meta.MetaTask;
import dev.hyperkron.bilevel.meta.MetaTrainer;
import dev.hyperkron.bilevel.meta.TaskDistribution;
import dev.hyperkron.bilevel.methods.InnerDivergence;
import dev.hyperkron.bilevel.tasks.FewShotClassification;
import dev.hyperkron.bilevel.tasks.SinusoidRegression;
import dev.hyperkron.bilevel.train.Budget;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.data.Omniglot;
import dev.hyperkron.nn.data.TrainTest;
import dev.hyperkron.nn.layers.Activation;
import dev.hyperkron.nn.models.Models;
import dev.hyperkron.nn.optim.AdamSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * One meta-learning comparison: meta-train and meta-test task distributions over disjoint classes
 * (or sinusoids), a fixed list of meta-test tasks shared by every method, and runs of a method
 * that score phi on those tasks at evenly spaced points of the budget (scoring is off the clock).
 */
public final class MetaLearningExperiment {
    /** Omniglot images are reduced to 28x28, as in the few-shot literature. */
    static final int OMNIGLOT_SIDE = 28;

    private final MetaLearningSetup setup;
    private final TaskDistribution train;
    private final List<MetaTask> testTasks;
    private final Adaptation adaptation;
    private final String description;
    private final String title;

    public MetaLearningExperiment(MetaLearningSetup setup, long seed) {
        this.setup = setup;
        this.adaptation = new Adaptation(setup.innerSteps(), setup.innerLr(), setup.lam());
        TaskDistribution test;
        if (setup.task().equals("sinusoid")) {
            train = new SinusoidRegression(setup.shots(), setup.queries(), DType.F32);
            test = train;
            description = "sinusoid regression, " + setup.shots() + " support and " + setup.queries()
                    + " query points, MLP 1-40-40-1";
            title = setup.shots() + "-shot sinusoid regression";
        } else {
            TrainTest halves = setup.task().equals("classification") ? byClasses(setup) : omniglot(setup.task());
            Dataset meta = halves.train();
            int inputs = meta.exampleShape().size();
            var model = Models.mlp(inputs, setup.hidden(), setup.ways(), Activation.relu());
            train = fewShot(meta, setup, model, "meta-training");
            test = fewShot(halves.test(), setup, model, "meta-test");
            description = setup.ways() + "-way " + setup.shots() + "-shot classification on " + source(setup) + " ("
                    + meta.classes() + " meta-train, " + halves.test().classes() + " meta-test classes), "
                    + setup.queries() + " queries per class, MLP " + inputs + "-" + join(setup.hidden()) + "-" + setup.ways();
            title = setup.ways() + "-way " + setup.shots() + "-shot classification on " + source(setup);
        }
        Rng testRng = new Rng(seed ^ 0x5eed7e57L);
        testTasks = IntStream.range(0, setup.testTasks()).mapToObj(i -> test.sample(testRng)).toList();
    }

    /** Tasks over every class of {@code data}; a pool that cannot fill them is a bad --ways, --shots or --query. */
    private static FewShotClassification fewShot(Dataset data, MetaLearningSetup setup, Module model,
                                                 String role) {
        try {
            return new FewShotClassification(data, allClasses(data), setup.ways(), setup.shots(), setup.queries(), model);
        } catch (IllegalArgumentException e) {
            throw new UserError("--ways " + setup.ways() + ", --shots " + setup.shots() + " and --query " + setup.queries()
                    + " do not fit the " + role + " classes: " + e.getMessage());
        }
    }

    private static String source(MetaLearningSetup setup) {
        return setup.task().equals("classification") ? (setup.data().equals("fashion") ? "Fashion-MNIST" : "digits")
                : "Omniglot";
    }

    private static String join(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int h : sizes) {
            b.append(h).append('-');
        }
        return b.substring(0, Math.max(0, b.length() - 1));
    }

    private static int[] allClasses(Dataset d) {
        return IntStream.range(0, d.classes()).toArray();
    }

    /** Classes 0..k-1 of the data set meta-train, k..9 meta-test, each relabelled from 0. */
    private static TrainTest byClasses(MetaLearningSetup setup) {
        Dataset all = DataSets.loadAsDistributed(setup.data()).train();
        int k = setup.trainClasses();
        if (k < setup.ways() || all.classes() - k < setup.ways()) {
            throw new UserError("--train-classes " + k + " leaves " + k + " meta-train and " + (all.classes() - k)
                    + " meta-test classes; " + setup.ways() + "-way tasks need at least " + setup.ways() + " in each");
        }
        return new TrainTest(classRange(all, 0, k), classRange(all, k, all.classes()));
    }

    private static Dataset classRange(Dataset all, int from, int to) {
        int[][] byClass = all.positionsByClass();
        List<Integer> positions = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (int c = from; c < to; c++) {
            for (int p : byClass[c]) {
                positions.add(p);
                labels.add((long) (c - from));
            }
        }
        Dataset part = all.subset(positions.stream().mapToInt(Integer::intValue).toArray());
        long[] y = labels.stream().mapToLong(Long::longValue).toArray();
        return Dataset.of(part.features(), dev.hyperkron.core.Tensor.of(y, y.length), to - from);
    }

    private static TrainTest omniglot(String spec) {
        Path dir = Path.of(spec.substring("omniglot:".length()));
        try {
            return Omniglot.load(dir, OMNIGLOT_SIDE);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** What the comparison runs on, in words. */
    public String description() {
        return description;
    }

    /** A short name of the comparison, for plot titles. */
    public String title() {
        return title;
    }

    /** Whether scores are accuracies (else mean query losses). */
    public boolean accuracy() {
        return testTasks.get(0).metric().higherIsBetter();
    }

    /** One evaluation of phi during a run. */
    public record Point(int step, double seconds, double score, double halfWidth) {
    }

    /** One method's run: its evaluations, meta-steps and meta-training seconds, and why it stopped early if it did. */
    public record MethodRun(String method, long seed, List<Point> curve, int steps, double seconds, Optional<String> failure) {
        public Point last() {
            return curve.get(curve.size() - 1);
        }
    }

    /**
     * Warms the method up ({@code warmupSteps} meta-steps from a throwaway phi, off the record) and
     * runs it for the budget from the seed's initialisation, scoring phi at step 0, at
     * {@code evalPoints} evenly spaced points of the budget and at the end.
     */
    public MethodRun run(MetaGradientMethod method, Budget budget, int evalPoints, int warmupSteps, long seed,
                         BiConsumer<Integer, Double> progress) {
        MetaTrainer trainer = new MetaTrainer(train, adaptation, setup.metaBatch(),
                AdamSettings.adam().learningRate(setup.outerLr()).build());
        if (warmupSteps > 0) {
            trainer.train(method, initial(seed + 1), Budget.steps(warmupSteps), new Rng(seed + 1), (s, phi) -> { });
        }
        List<Point> curve = new ArrayList<>();
        double every = budget.steps() > 0 ? (double) budget.steps() / evalPoints : budget.seconds() / evalPoints;
        MetaTrainer.Result result = trainer.train(method, initial(seed), budget, new Rng(seed), (step, phi) -> {
            progress.accept(step.step(), step.seconds());
            double at = budget.steps() > 0 ? step.step() : step.seconds();
            if (step.step() == 0 || at >= curve.size() * every - 1e-9) {
                curve.add(evaluate(step.step(), step.seconds(), phi));
            }
        });
        List<MetaTrainer.Step> history = result.history();
        int steps = history.isEmpty() ? 0 : history.get(history.size() - 1).step();
        double seconds = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
        if (curve.get(curve.size() - 1).step() != steps) {
            curve.add(evaluate(steps, seconds, result.phi()));
        }
        return new MethodRun(method.name(), seed, List.copyOf(curve), steps, seconds, result.failure());
    }

    /** The score of phi on the meta-test tasks; NaN when adapting from it diverges on one of them. */
    private Point evaluate(int step, double seconds, Params phi) {
        try {
            MetaEvaluation e = MetaEvaluation.of(testTasks, phi, adaptation);
            return new Point(step, seconds, e.mean(), e.halfWidth());
        } catch (InnerDivergence e) {
            return new Point(step, seconds, Double.NaN, Double.NaN);
        }
    }

    private Params initial(long seed) {
        return train.model().init(new Rng(seed), DType.F32);
    }
}
