package dev.hyperkron.spark.sweep;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.stddev_samp;

import dev.hyperkron.bench.experiments.UserError;
import dev.hyperkron.bench.report.BarChart;
import dev.hyperkron.bench.report.Csv;
import dev.hyperkron.bench.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep's results as one DataFrame: every finished run's results.csv rows (read by Spark, types
 * inferred), joined with the run's grid values (columns grid_KEY), its exit code and seconds; written
 * as Parquet and CSV, and summarized per grid point over seeds (mean, sd, count) in a table and a
 * bar chart, as the figure commands summarize their seeds.
 */
public final class SweepResults {
    /** Metrics plotted when --metric is not given, the first one present. */
    static final List<String> DEFAULT_METRICS = List.of("testLoss", "testAccuracy", "accuracy", "accuracyDrop");

    private final Dataset<Row> rows;
    private final List<String> gridColumns;

    private SweepResults(Dataset<Row> rows, List<String> gridColumns) {
        this.rows = rows;
        this.gridColumns = gridColumns;
    }

    /** The column of a grid key: grid_KEY with dashes as underscores. */
    public static String gridColumn(String key) {
        return "grid_" + key.replace('-', '_');
    }

    /** Reads the finished runs of {@code configurations} from {@code store} into one DataFrame. */
    public static SweepResults gather(SparkSession spark, RunStore store, List<String> keys,
                                      List<Configuration> configurations, Map<String, Outcome> outcomes) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("configuration", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("order", DataTypes.IntegerType, false));
        List<String> gridColumns = new ArrayList<>();
        for (String key : keys) {
            gridColumns.add(gridColumn(key));
            fields.add(DataTypes.createStructField(gridColumn(key), DataTypes.StringType, false));
        }
        fields.add(DataTypes.createStructField("exitCode", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("runSeconds", DataTypes.DoubleType, false));
        List<Row> configurationRows = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            Configuration c = configurations.get(i);
            Outcome o = outcomes.get(c.id());
            List<Object> values = new ArrayList<>(List.of(c.id(), i));
            keys.forEach(k -> values.add(c.values().get(k)));
            values.add(o.exitCode());
            values.add(o.seconds());
            configurationRows.add(RowFactory.create(values.toArray()));
            files.add(store.folder(c.id()).resolve(RunStore.RESULTS).toUri().toString());
        }
        Dataset<Row> grid = spark.createDataFrame(configurationRows, DataTypes.createStructType(fields));
        Dataset<Row> results = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(files.toArray(String[]::new))
                .withColumn("configuration", regexp_extract(input_file_name(), "/runs/([^/]+)/" + RunStore.RESULTS + "$", 1));
        Dataset<Row> joined = grid.join(results, "configuration").orderBy("order").drop("order");
        return new SweepResults(joined.cache(), gridColumns);
    }

    public Dataset<Row> rows() {
        return rows;
    }

    /** Writes OUT/results.parquet (Spark's folder of parts) and OUT/results.csv (one file); returns both. */
    public List<Path> write(Path out) throws IOException {
        Path parquet = out.resolve("results.parquet");
        rows.write().mode("overwrite").parquet(parquet.toAbsolutePath().toUri().toString());
        Path csv = out.resolve("results.csv");
        List<List<Object>> lines = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            List<Object> cells = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                cells.add(r.isNullAt(i) ? "" : r.get(i));
            }
            lines.add(cells);
        }
        Csv.write(csv, List.of(rows.columns()), lines);
        return List.of(parquet, csv);
    }

    /** The metric to summarize: the one asked for (refused when absent or not numeric), else a default present. */
    public Optional<String> metric(String asked) {
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        for (StructField f : rows.schema().fields()) {
            numeric.put(f.name(), f.dataType() instanceof NumericType);
        }
        if (asked != null) {
            if (!Boolean.TRUE.equals(numeric.get(asked))) {
                throw new UserError("--metric " + asked + " is not a numeric column of the results; they "
                        + "have " + String.join(", ", numeric.entrySet().stream().filter(Map.Entry::getValue)
                        .map(Map.Entry::getKey).toList()));
            }
            return Optional.of(asked);
        }
        return DEFAULT_METRICS.stream().filter(m -> Boolean.TRUE.equals(numeric.get(m))).findFirst();
    }

    /**
     * Mean, sd and count of {@code metric} per grid point over the seeds (grid_seed), and per model
     * and method when the results have those columns; as a table, and as a bar chart OUT/METRIC.svg/png.
     */
    public Table summarize(String metric, Path out) throws IOException {
        List<String> groups = new ArrayList<>();
        for (String g : gridColumns) {
            if (!g.equals(gridColumn("seed"))) {
                groups.add(g);
            }
        }
        for (String c : List.of("model", "method")) {
            if (List.of(rows.columns()).contains(c)) {
                groups.add(c);
            }
        }
        Column[] by = groups.stream().map(g -> col("`" + g + "`")).toArray(Column[]::new);
        Dataset<Row> summary = rows.groupBy(by).agg(avg(col("`" + metric + "`")).as("mean"),
                stddev_samp(col("`" + metric + "`")).as("sd"), count("*").as("runs")).orderBy(by);
        List<String> header = new ArrayList<>(groups);
        header.addAll(List.of(metric + " mean", "sd", "runs"));
        Table table = new Table(header.toArray(String[]::new));
        List<String> categories = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        for (Row r : summary.collectAsList()) {
            List<Object> cells = new ArrayList<>();
            List<String> label = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                cells.add(r.get(i));
                label.add(String.valueOf(r.get(i)));
            }
            double mean = r.isNullAt(groups.size()) ? Double.NaN : r.getDouble(groups.size());
            cells.add(String.format(Locale.ROOT, "%.4f", mean));
            cells.add(r.isNullAt(groups.size() + 1) ? "" : String.format(Locale.ROOT, "%.4f", r.getDouble(groups.size() + 1)));
            cells.add(r.getLong(groups.size() + 2));
            table.row(cells.toArray());
            categories.add(label.isEmpty() ? "all" : String.join(" ", label));
            means.add(mean);
        }
        new BarChart("Sweep: mean " + metric + " over seeds", String.join(", ", groups), metric)
                .series(metric, categories, means).save(out.resolve(metric.replaceAll("[^A-Za-z0-9_-]+", "_")));
        return table;
    }
}
