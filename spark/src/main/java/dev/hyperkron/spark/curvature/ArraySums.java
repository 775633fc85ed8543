package dev.hyperkron.spark.curvature;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums of tensors over examples, with the number of examples summed: what each partition
 * contributes and what {@code treeAggregate} adds up, in F64 whatever the model's dtype. The zero
 * element has no parts and adds as nothing.
 */
final class ArraySums implements Serializable {
    private static final long serialVersionUID = 1L;

    static final ArraySums ZERO = new ArraySums(null, null, 0);

    private final double[][] parts;
    private final int[][] shapes;
    private final long examples;

    private ArraySums(double[][] parts, int[][] shapes, long examples) {
        this.parts = parts;
        this.shapes = shapes;
        this.examples = examples;
    }

    /** {@code weight} times each tensor, standing for {@code examples} examples. */
    static ArraySums of(List<Tensor> tensors, double weight, long examples) {
        double[][] parts = new double[tensors.size()][];
        int[][] shapes = new int[tensors.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = tensors.get(i).cast(DType.F64).toDoubleArray();
            for (int j = 0; j < parts[i].length; j++) {
                parts[i][j] *= weight;
            }
            shapes[i] = tensors.get(i).shape().dims();
        }
        return new ArraySums(parts, shapes, examples);
    }

    ArraySums plus(ArraySums other) {
        if (other.parts == null) {
            return this;
        }
        if (parts == null) {
            return other;
        }
        double[][] sum = new double[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            sum[i] = parts[i].clone();
            for (int j = 0; j < sum[i].length; j++) {
                sum[i][j] += other.parts[i][j];
            }
        }
        return new ArraySums(sum, shapes, examples + other.examples);
    }

    long examples() {
        return examples;
    }

    /** The sums divided by the number of examples, as tensors of {@code dtype}. */
    List<Tensor> means(DType dtype) {
        if (parts == null) {
            throw new IllegalStateException("no partition held any example: the data set is empty");
        }
        List<Tensor> means = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            double[] m = parts[i].clone();
            for (int j = 0; j < m.length; j++) {
                m[j] /= examples;
            }
            means.add(Tensor.of(m, shapes[i]).cast(dtype));
        }
        return means;
    }
}
