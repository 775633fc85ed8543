package dev.hyperkron.spark.influence;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.InfluenceExperiment;
import dev.hyperkron.bench.experiments.InfluenceSetup;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.RunOptions;
import dev.hyperkron.bench.options.ThreadsOption;
import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.JsonFiles;
import dev.hyperkron.bench.report.Table;
import dev.hyperkron.bilevel.influence.Influence;
import dev.hyperkron.bilevel.influence.Query;
import dev.hyperkron.bilevel.influence.TrainedModel;
import dev.hyperkron.core.DType;
import dev.hyperkron.core.Rng;
import dev.hyperkron.nn.data.Dataset;
import dev.hyperkron.nn.loss.CrossEntropyLoss;
import dev.hyperkron.spark.SparkOptions;
import dev.hyperkron.spark.curvature.DataParallelCurvature;
import dev.hyperkron.spark.curvature.DistributedInfluence;
import dev.hyperkron.spark.curvature.ExampleFrame;
import dev.hyperkron.spark.curvature.ModelRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Influence of every training example with KFAC or EKFAC fitted data-parallel on Spark, checked against one machine. */
@Command(name = "spark-influence", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Influence of every training example, I(z) = -grad L_query^T H^-1 grad l(z), with the curvature "
                + "fitted data-parallel on Spark: the training set is a DataFrame in --partitions partitions, KFAC's "
                + "factors (and EKFAC's refit) are summed over them by treeAggregate, the damped inverse is applied "
                + "once on the driver to the query's gradient, and the result is broadcast so that every partition "
                + "scores its examples. The model is trained as `hyperkron influence` trains it (F64, full-batch Adam "
                + "then Newton-CG); --dtype f32 scores the trained model in F32.",
                "With --check (default) the same scores are computed on one machine by the bilevel module's Influence, "
                        + "and the largest difference relative to the largest score is reported. Prints a table and "
                        + "writes results.csv/json and scores.csv."})
public final class SparkInfluenceCommand implements Callable<Integer> {

    @Option(names = "--data", description = "digits (embedded), fashion, idx:DIR or cifar:DIR (default: ${DEFAULT-VALUE}).",
            defaultValue = "digits")
    String data;

    @Option(names = "--model", description = "linear or mlp (default: ${DEFAULT-VALUE}).", defaultValue = "mlp")
    String model;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes of the mlp (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int[] hidden;

    @Option(names = "--train-size", description = "Training examples n (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int trainSize;

    @Option(names = "--val-size", description = "Validation examples; the rest is the test split (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int validationSize;

    @Option(names = "--weight-decay", description = "L2 coefficient of the training objective, added to the damping "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0.03")
    double weightDecay;

    @Option(names = "--train-steps", description = "Full-batch Adam steps before the Newton polish (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int trainSteps;

    @Option(names = "--lr", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.01")
    double learningRate;

    @Option(names = "--tolerance", description = "Gradient norm the Newton polish reaches (default: ${DEFAULT-VALUE}).",
            defaultValue = "1e-10")
    double tolerance;

    @Option(names = "--query", description = "test (one test example, see --test-index) or validation (the mean "
            + "validation loss) (default: ${DEFAULT-VALUE}).", defaultValue = "test")
    String query;

    @Option(names = "--test-index", description = "Position of the query example in the test split (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int testIndex;

    @Option(names = "--method", split = ",", description = "kfac and/or ekfac (default: ${DEFAULT-VALUE}).",
            defaultValue = "ekfac")
    List<String> methods;

    @Option(names = "--damping", description = "Damping added to the curvature (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    double damping;

    @Option(names = "--partitions", description = "Partitions of the training set (default: twice Spark's default "
            + "parallelism).")
    Integer partitions;

    @Option(names = "--batch-size", description = "Examples per Jacobian-vector product when scoring (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "256")
    int batchSize;

    @Option(names = "--dtype", description = "f64 or f32: the precision of curvature and scores (default: ${DEFAULT-VALUE}).",
            defaultValue = "f64")
    String dtype;

    @Option(names = "--check", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also score on one machine and report the largest difference (default: on; --no-check skips it).")
    boolean check;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    RunOptions run;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        List<String> names = validate();
        threads.apply();
        sparkOptions.validate();
        DType type = dtype.equals("f32") ? DType.F32 : DType.F64;
        Path out = run.folder();
        InfluenceSetup setup = new InfluenceSetup(data, model, hidden, trainSize, validationSize, weightDecay, trainSteps,
                learningRate, tolerance, query.equals("validation"), testIndex, names, damping, 100, 0, 0, batchSize,
                run.seed());
        InfluenceExperiment experiment = new InfluenceExperiment(setup);
        Query q = experiment.query();
        run.out().printf(Locale.ROOT, "Influence on %s of %s with %s, %d training examples, %s; methods %s; master %s%n",
                data, q.description(), ModelSpec.describe(model, hidden), trainSize, type, String.join(", ", names),
                sparkOptions.master());
        InfluenceExperiment.Training training = experiment.train(step -> { });
        run.out().printf(Locale.ROOT, "trained in %.1f s (objective %.5f, gradient norm %.2g)%n", training.seconds(),
                training.trainLoss(), training.polish().gradientNorm());
        Params theta = training.model().theta().cast(type);
        Dataset train = experiment.train().cast(type);
        Query typedQuery = new Query(q.description(), q.inputs().cast(type), q.targets());
        ModelRecipe recipe = new ModelRecipe(model, train.exampleShape().dims(), train.classes(), hidden, "tanh", type);
        Table table = new Table("method", "partitions", "fit s", "solve s", "score s", "us/example", "one machine s",
                "max rel. diff");
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, double[]> allScores = new LinkedHashMap<>();
        try (SparkOptions.Session session = sparkOptions.open("hyperkron spark-influence")) {
            int parts = partitions != null ? partitions : 2 * session.spark().sparkContext().defaultParallelism();
            org.apache.spark.sql.Dataset<Row> frame = ExampleFrame.of(session.spark(), train, parts).cache();
            frame.count();
            DataParallelCurvature curvature = new DataParallelCurvature(frame, recipe);
            TrainedModel single = TrainedModel.of(recipe.build(), train.features(), train.labels(), new CrossEntropyLoss(),
                    weightDecay, theta);
            for (String name : names) {
                DistributedInfluence.Scores d = DistributedInfluence.scores(curvature, theta, weightDecay, typedQuery, name,
                        damping, batchSize);
                allScores.put(name, d.scores());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("method", name);
                row.put("dtype", type.name());
                row.put("partitions", parts);
                row.put("examples", d.scores().length);
                row.put("fitSeconds", d.fitSeconds());
                row.put("solveSeconds", d.solveSeconds());
                row.put("scoreSeconds", d.scoreSeconds());
                row.put("secondsPerExample", d.secondsPerExample());
                String singleSeconds = "";
                String difference = "";
                if (check) {
                    long start = System.nanoTime();
                    double[] expected = Influence.using(experiment.method(name)).batchSize(batchSize)
                            .scores(single, typedQuery, new Rng(run.seed()).split()).scores();
                    double seconds = (System.nanoTime() - start) * 1e-9;
                    double diff = DistributedInfluence.maxRelativeDifference(expected, d.scores());
                    row.put("singleMachineSeconds", seconds);
                    row.put("maxRelativeDifference", diff);
                    singleSeconds = String.format(Locale.ROOT, "%.2f", seconds);
                    difference = String.format(Locale.ROOT, "%.2e", diff);
                }
                rows.add(row);
                table.row(name, parts, f(d.fitSeconds()), f(d.solveSeconds()), f(d.scoreSeconds()),
                        String.format(Locale.ROOT, "%.1f", 1e6 * d.secondsPerExample()), singleSeconds, difference);
            }
        }
        run.out().println();
        run.out().print(table);
        write(out, rows, train, allScores);
        return 0;
    }

    private void write(Path out, List<Map<String, Object>> rows, Dataset train, Map<String, double[]> scores)
            throws java.io.IOException {
        List<String> header = new ArrayList<>(rows.get(0).keySet());
        List<List<Object>> lines = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<Object> line = new ArrayList<>();
            header.forEach(h -> line.add(r.getOrDefault(h, "")));
            lines.add(line);
        }
        Csv.write(out.resolve("results.csv"), header, lines);
        JsonFiles.write(out.resolve("results.json"), rows);
        List<String> scoreHeader = new ArrayList<>(List.of("position", "index", "label"));
        scoreHeader.addAll(scores.keySet());
        List<List<Object>> scoreLines = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            List<Object> line = new ArrayList<>(List.of(i, train.index(i), train.label(i)));
            for (double[] s : scores.values()) {
                line.add(s[i]);
            }
            scoreLines.add(line);
        }
        Csv.write(out.resolve("scores.csv"), scoreHeader, scoreLines);
        for (String f : List.of("results.csv", "results.json", "scores.csv")) {
            run.out().println("wrote " + out.resolve(f));
        }
    }

    private static String f(double seconds) {
        return String.format(Locale.ROOT, "%.2f", seconds);
    }

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
        if (partitions != null) {
            Checks.atLeast("--partitions", partitions, 1);
        }
        Checks.atLeast("--batch-size", batchSize, 1);
        if (!dtype.equals("f64") && !dtype.equals("f32")) {
            throw new UserError("--dtype must be f64 or f32, got '" + dtype + "'");
        }
        threads.validate();
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            if (!DistributedInfluence.METHODS.contains(name)) {
                throw new UserError("unknown method '" + m.trim() + "': use kfac or ekfac");
            }
            if (!names.add(name)) {
                throw new UserError("--method names " + name + " twice; each method runs once");
            }
        }
        return List.copyOf(names);
    }
}
