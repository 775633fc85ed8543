package dev.hyperkron.nn.data;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Storage;
import dev.hyperkron.core.Tensor;
import java.util.Arrays;

/**
 * A per-feature affine map x' = (x - offset) / scale whose statistics come from one data set
 * (the training set) and are then applied unchanged to others, so validation and test data
 * never leak into the preprocessing. "Per feature" means per element of an example: per pixel
 * for images. Statistics are accumulated in double precision.
 */
public final class Normalizer {
    private final Shape exampleShape;
    private final double[] offset;
    private final double[] scale;

    private Normalizer(Shape exampleShape, double[] offset, double[] scale) {
        this.exampleShape = exampleShape;
        this.offset = offset;
        this.scale = scale;
    }

    /**
     * Standardization: subtract the mean and divide by the population standard deviation of
     * each feature in {@code fit}. Constant features (deviation 0) are only centred, to 0.
     */
    public static Normalizer standardize(Dataset fit) {
        FeatureColumns x = FeatureColumns.of("Normalizer.standardize", fit);
        double[] mean = new double[x.width];
        double[] std = new double[x.width];
        for (int i = 0; i < x.rows; i++) {
            for (int j = 0; j < x.width; j++) {
                mean[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < x.width; j++) {
            mean[j] /= x.rows;
        }
        // A second pass over the centred values avoids the cancellation of sum(x^2) - n mean^2.
        for (int i = 0; i < x.rows; i++) {
            for (int j = 0; j < x.width; j++) {
                double d = x.get(i, j) - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < x.width; j++) {
            std[j] = Math.sqrt(std[j] / x.rows);
            if (std[j] == 0) {
                std[j] = 1;
            }
        }
        return new Normalizer(fit.exampleShape(), mean, std);
    }

    /**
     * Min-max scaling: maps each feature's range in {@code fit} to [0, 1]. Other data sets can
     * fall slightly outside [0, 1]; constant features map to 0.
     */
    public static Normalizer minMax(Dataset fit) {
        FeatureColumns x = FeatureColumns.of("Normalizer.minMax", fit);
        double[] min = new double[x.width];
        double[] range = new double[x.width];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(range, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < x.rows; i++) {
            for (int j = 0; j < x.width; j++) {
                double v = x.get(i, j);
                min[j] = Math.min(min[j], v);
                range[j] = Math.max(range[j], v); // the maximum for now
            }
        }
        for (int j = 0; j < x.width; j++) {
            range[j] -= min[j];
            if (range[j] == 0) {
                range[j] = 1;
            }
        }
        return new Normalizer(fit.exampleShape(), min, range);
    }

    /** The data set with normalized features (same dtype). */
    public Dataset apply(Dataset data) {
        return data.withFeatures(apply(data.features()));
    }

    /** Normalized features [N, ...] (same dtype as the input). */
    public Tensor apply(Tensor features) {
        Shape s = features.shape();
        if (!features.dtype().isFloating() || s.rank() != exampleShape.rank() + 1
                || !Shape.of(Arrays.copyOfRange(s.dims(), 1, s.rank())).equals(exampleShape)) {
            throw new IllegalArgumentException("Normalizer.apply: expected floating features whose examples have shape "
                    + exampleShape + " like the data it was fitted on, got " + features.dtype() + " " + s);
        }
        return features.sub(offset(features.dtype())).div(scale(features.dtype()));
    }

    /** The per-feature offsets (means or minima), in the example shape. */
    public Tensor offset(DType dtype) {
        return Tensor.of(offset, exampleShape.dims()).cast(dtype);
    }

    /** The per-feature divisors (standard deviations or ranges, 1 for constant features), in the example shape. */
    public Tensor scale(DType dtype) {
        return Tensor.of(scale, exampleShape.dims()).cast(dtype);
    }

    /** The features of a data set viewed as rows of width = elements per example. */
    private static final class FeatureColumns {
        final int rows;
        final int width;
        final Storage storage;

        private FeatureColumns(int rows, int width, Storage storage) {
            this.rows = rows;
            this.width = width;
            this.storage = storage;
        }

        static FeatureColumns of(String op, Dataset fit) {
            if (fit.size() == 0) {
                throw new IllegalArgumentException(op + ": cannot fit statistics on an empty data set");
            }
            Tensor f = fit.features();
            return new FeatureColumns(fit.size(), f.size() / fit.size(), f.storage());
        }

        double get(int row, int column) {
            return storage.getDouble(row * width + column);
        }
    }
}
