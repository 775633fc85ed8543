package dev.hyperkron.spark.influence;

import dev.hyperkron.autodiff.Params;
import dev.hyperkron.bench.experiments.InfluenceExperiment;
import dev.hyperkron.bench.experiments.InfluenceSetup;
import dev.hyperkron.bench.experiments.ModelSpec;
import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.options.Checks;
import dev.hyperkron.bench.options.InfluenceProblemOptions;
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

    @Mixin
    InfluenceProblemOptions problem;

    @Option(names = "--method", split = ",", description = "kfac and/or ekfac (default: ${DEFAULT-VALUE}).",
            defaultValue = "ekfac")
    List<String> methods;

    @Option(names = "--partitions", description = "Partitions of the training set (default: twice Spark's default "
            + "parallelism).")
    Integer partitions;

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
        InfluenceSetup setup = problem.setup(names, 100, 0, 0, run.seed());
        InfluenceExperiment experiment = new InfluenceExperiment(setup);
        Query q = experiment.query();
        run.out().printf(Locale.ROOT, "Influence on %s of %s with %s, %d training examples, %s; methods %s; master %s%n",
                setup.dataSet(), q.description(), ModelSpec.describe(setup.model(), setup.hidden()), setup.trainSize(), type,
                String.join(", ", names),
                sparkOptions.master());
        InfluenceExperiment.Training training = experiment.train(step -> { });
        run.out().printf(Locale.ROOT, "trained in %.1f s (objective %.5f, gradient norm %.2g)%n", training.seconds(),
                training.trainLoss(), training.polish().gradientNorm());
        Params theta = training.model().theta().cast(type);
        Dataset train = experiment.train().cast(type);
        Query typedQuery = new Query(q.description(), q.inputs().cast(type), q.targets());
        ModelRecipe recipe = new ModelRecipe(setup.model(), train.exampleShape().dims(), train.classes(), setup.hidden(),
                "tanh", type);
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
                    setup.weightDecay(), theta);
            for (String name : names) {
                DistributedInfluence.Scores d = DistributedInfluence.scores(curvature, theta, setup.weightDecay(), typedQuery,
                        name, setup.damping(), setup.batchSize());
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
                    double[] expected = Influence.using(experiment.method(name)).batchSize(setup.batchSize())
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
        problem.validate();
        if (partitions != null) {
            Checks.atLeast("--partitions", partitions, 1);
        }
        if (!dtype.equals("f64") && !dtype.equals("f32")) {
            throw new UserError("--dtype must be f64 or f32, got '" + dtype + "'");
        }
        threads.validate();
        return InfluenceProblemOptions.methods(methods, DistributedInfluence.METHODS, "kfac or ekfac");
    }

}
