package dev.hyperkron.spark.curvature;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import dev.hyperkron.kfac.LossBatch;
import dev.hyperkron.nn.Module;
import dev.hyperkron.nn.loss.Loss;
import dev.hyperkron.nn.loss.Reduction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The examples of one Spark partition as tensors: inputs [m, example...], labels [m] and each
 * example's position in the whole training set (scores and weights are indexed by it).
 */
record Shard(int[] positions, Tensor inputs, Tensor labels) {

    /** Reads a partition's rows ({@link ExampleFrame#SCHEMA}); an empty partition gives null. */
    static Shard of(Iterator<Row> rows, int[] exampleDims, DType dtype) {
        List<Row> list = new ArrayList<>();
        rows.forEachRemaining(list::add);
        if (list.isEmpty()) {
            return null;
        }
        int m = list.size();
        int features = 1;
        for (int d : exampleDims) {
            features *= d;
        }
        double[] x = new double[m * features];
        long[] y = new long[m];
        int[] positions = new int[m];
        for (int i = 0; i < m; i++) {
            Row r = list.get(i);
            positions[i] = r.getInt(0);
            y[i] = r.getLong(1);
            List<Double> f = r.getList(2);
            if (f.size() != features) {
                throw new IllegalArgumentException("example " + positions[i] + " has " + f.size() + " features, the model "
                        + "takes " + features);
            }
            for (int j = 0; j < features; j++) {
                x[i * features + j] = f.get(j);
            }
        }
        int[] dims = new int[exampleDims.length + 1];
        dims[0] = m;
        System.arraycopy(exampleDims, 0, dims, 1, exampleDims.length);
        return new Shard(positions, Tensor.of(x, dims).cast(dtype), Tensor.of(y, m));
    }

    int size() {
        return positions.length;
    }

    /** The shard's mean loss as curvature sees it, each example weighted by weights[position] when given. */
    LossBatch lossBatch(Module model, Loss loss, double[] weights, DType dtype) {
        Tensor w = null;
        if (weights != null) {
            double[] mine = new double[size()];
            for (int i = 0; i < mine.length; i++) {
                mine[i] = weights[positions[i]];
            }
            w = Tensor.of(mine, mine.length).cast(dtype);
        }
        return new LossBatch(model, inputs, labels, w, loss, Reduction.MEAN);
    }

    /** The first example alone (to lay out a model's curvature blocks cheaply). */
    Shard first() {
        return new Shard(new int[] {positions[0]}, inputs.slice(0, 0, 1), labels.slice(0, 0, 1));
    }
}
