package dev.hyperkron.nn.data;

import dev.hyperkron.core.DType;
import dev.hyperkron.core.Device;
import dev.hyperkron.core.Shape;
import dev.hyperkron.core.Tensor;

/**
 * A labelled data set held in memory: features [N, ...], integer labels (I64 [N]) in
 * [0, classes), and each example's index in its source set (I64 [N]). Subsets, splits and
 * shuffles keep those indices, so any example can be traced back to where it came from, for
 * instance to the label-noise mask of the full training set. Immutable: every operation returns
 * a new Dataset.
 */
public final class Dataset {
    private final Tensor features;
    private final Tensor labels;
    private final int classes;
    private final Tensor indices;

    private Dataset(Tensor features, Tensor labels, int classes, Tensor indices) {
        if (features.rank() < 1) {
            throw new IllegalArgumentException("Dataset: features must have an example axis first, got a scalar");
        }
        int n = features.dim(0);
        requireVector("labels", labels, n, features);
        requireVector("example indices", indices, n, features);
        if (classes < 1) {
            throw new IllegalArgumentException("Dataset: the number of classes must be positive, got " + classes);
        }
        this.features = features;
        this.labels = labels.cast(DType.I64);
        this.classes = classes;
        this.indices = indices.cast(DType.I64);
        long[] y = (long[]) this.labels.storage().array();
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("Dataset: label " + y[i] + " at position " + i
                        + " is outside the " + classes + " classes [0, " + classes + ")");
            }
        }
    }

    private static void requireVector(String what, Tensor t, int n, Tensor features) {
        if (t.dtype().isFloating()) {
            throw new IllegalArgumentException("Dataset: " + what + " must be an integer tensor, got " + t.dtype());
        }
        if (t.rank() != 1 || t.dim(0) != n) {
            throw new IllegalArgumentException("Dataset: " + what + " must have shape [" + n + "] to match features "
                    + features.shape() + ", got " + t.shape());
        }
    }

    /**
     * Examples whose indices are their positions 0..N-1: a source set. Labels may be any integer
     * dtype. NaN or infinite features are refused here, where the example can be named, rather than
     * surfacing later as a NaN training loss.
     */
    public static Dataset of(Tensor features, Tensor labels, int classes) {
        return of(features, labels, classes, Tensor.arange(DType.I64, features.rank() < 1 ? 0 : features.dim(0)));
    }

    /** Examples with explicit source indices (any integer dtype); features must be finite (see above). */
    public static Dataset of(Tensor features, Tensor labels, int classes, Tensor indices) {
        Dataset d = new Dataset(features, labels, classes, indices);
        requireFinite(d.features);
        return d;
    }

    private static void requireFinite(Tensor features) {
        if (!features.dtype().isFloating()) {
            return;
        }
        if (features.device() != Device.host()) {
            // The sum of squares (accumulated in double) is finite when every feature is, up to an overflow of
            // huge F64 values, which the exact check on the host then clears: one number from the device.
            if (Double.isFinite(features.dot(features))) {
                return;
            }
            features = features.to(Device.host());
        }
        int n = features.shape().size();
        int perExample = features.dim(0) == 0 ? 1 : n / features.dim(0);
        for (int i = 0; i < n; i++) {
            double v = features.storage().getDouble(i);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Dataset: feature " + i % perExample + " of example " + i / perExample
                        + " is " + v + "; features must be finite");
            }
        }
    }

    /** Number of examples N. */
    public int size() {
        return features.dim(0);
    }

    /** Features [N, ...]. */
    public Tensor features() {
        return features;
    }

    /** Labels, I64 [N]. */
    public Tensor labels() {
        return labels;
    }

    /** The number of classes C: labels lie in [0, C). */
    public int classes() {
        return classes;
    }

    /** The position of each example in its source set, I64 [N]. */
    public Tensor indices() {
        return indices;
    }

    /** The shape of one example (the features' shape without the first axis). */
    public Shape exampleShape() {
        int[] dims = features.shape().dims();
        int[] rest = new int[dims.length - 1];
        System.arraycopy(dims, 1, rest, 0, rest.length);
        return Shape.of(rest);
    }

    /** The label at {@code position}. */
    public int label(int position) {
        return (int) labels.storage().getLong(checkPosition("label", position));
    }

    /** The source index of the example at {@code position}. */
    public long index(int position) {
        return indices.storage().getLong(checkPosition("index", position));
    }

    /** How many examples each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (long y : (long[]) labels.storage().array()) {
            counts[(int) y]++;
        }
        return counts;
    }

    /**
     * The positions of each class's examples, in increasing order: element c lists the positions
     * (into this dataset) whose label is c, and has {@code classCounts()[c]} entries.
     */
    public int[][] positionsByClass() {
        int[] counts = classCounts();
        int[][] byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[classes];
        long[] y = (long[]) labels.storage().array();
        for (int i = 0; i < y.length; i++) {
            int c = (int) y[i];
            byClass[c][filled[c]++] = i;
        }
        return byClass;
    }

    /** The examples at the given positions (0-based, into this dataset), in that order; repeats allowed. */
    public Dataset subset(int[] positions) {
        for (int p : positions) {
            checkPosition("subset", p);
        }
        return select(Tensor.of(positions));
    }

    /** {@link #subset(int[])} with positions in a 1-D integer tensor. */
    public Dataset subset(Tensor positions) {
        if (positions.dtype().isFloating() || positions.rank() != 1) {
            throw new IllegalArgumentException("Dataset.subset: positions must be a 1-D integer tensor, got "
                    + positions.dtype() + " " + positions.shape());
        }
        for (int i = 0; i < positions.size(); i++) {
            long p = positions.storage().getLong(i);
            if (p < 0 || p >= size()) {
                throw new IndexOutOfBoundsException("Dataset.subset: position " + p + " is outside [0, " + size() + ")");
            }
        }
        return select(positions);
    }

    /** The examples at positions [from, to). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("Dataset.slice: [" + from + ", " + to + ") is not within [0, " + size() + ")");
        }
        return new Dataset(features.slice(0, from, to), labels.slice(0, from, to), classes, indices.slice(0, from, to));
    }

    private Dataset select(Tensor positions) {
        return new Dataset(features.indexSelect(0, positions), labels.indexSelect(0, positions), classes,
                indices.indexSelect(0, positions));
    }

    /** The same examples with other labels (for instance noisy ones), checked against the classes. */
    public Dataset withLabels(Tensor newLabels) {
        return new Dataset(features, newLabels, classes, indices);
    }

    /** The same examples and labels with transformed features (same number of examples). */
    public Dataset withFeatures(Tensor newFeatures) {
        if (newFeatures.rank() < 1 || newFeatures.dim(0) != size()) {
            throw new IllegalArgumentException("Dataset.withFeatures: expected " + size() + " examples first, got shape "
                    + newFeatures.shape());
        }
        return new Dataset(newFeatures, labels, classes, indices);
    }

    /**
     * The same examples with the features on {@code device} (an accelerator's); labels and indices,
     * integers, stay on the host, where batches are picked.
     */
    public Dataset to(Device device) {
        return new Dataset(features.to(device), labels, classes, indices);
    }

    /** The features converted to {@code dtype} (F64 for gradient checks, for example). */
    public Dataset cast(DType dtype) {
        return withFeatures(features.cast(dtype));
    }

    /** The features reshaped per example, e.g. [N, 64] to [N, 1, 8, 8]. */
    public Dataset reshapeExamples(int... exampleDims) {
        int[] dims = new int[exampleDims.length + 1];
        dims[0] = size();
        System.arraycopy(exampleDims, 0, dims, 1, exampleDims.length);
        return withFeatures(features.reshape(dims));
    }

    private int checkPosition(String op, int position) {
        if (position < 0 || position >= size()) {
            throw new IndexOutOfBoundsException("Dataset." + op + ": position " + position + " is outside [0, " + size() + ")");
        }
        return position;
    }

    @Override
    public String toString() {
        return "Dataset{" + size() + " examples, features " + features.dtype() + " " + features.shape() + ", "
                + classes + " classes}";
    }
}
