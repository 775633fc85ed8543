package dev.hyperkron.spark.curvature;

import dev.hyperkron.core.DType;
import dev.hyperkron.nn.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Labelled examples as a Spark DataFrame partitioned across the cluster, one row per example:
 * (position in the data set, label, flattened features). The schema is what every data-parallel
 * computation here reads, so examples can also come from Parquet or any other Spark source.
 */
public final class ExampleFrame {
    /** position INT, label BIGINT, features ARRAY&lt;DOUBLE&gt;. */
    public static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("position", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.LongType, false),
            DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

    private ExampleFrame() {
    }

    /** The examples of {@code data} in {@code partitions} contiguous partitions, positions 0..n-1 in order. */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession spark, Dataset data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        double[] features = data.features().cast(DType.F64).toDoubleArray();
        long[] labels = data.labels().toLongArray();
        int n = data.size();
        int width = n == 0 ? 0 : features.length / n;
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(i, labels[i], Arrays.copyOfRange(features, i * width, (i + 1) * width)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
    }
}
