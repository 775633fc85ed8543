package dev.hyperkron.core;

import dev.hyperkron.core.kernels.BinaryOp;
import dev.hyperkron.core.kernels.ConvGeometry;
import dev.hyperkron.core.kernels.ReduceOp;
import dev.hyperkron.core.kernels.TypedKernels;
import dev.hyperkron.core.kernels.UnaryOp;
import java.util.Arrays;

/**
 * A dense, row-major, contiguous n-dimensional array of F32 or F64 numbers (integer dtypes
 * hold indices and labels). Tensors have value semantics: every op returns a new tensor and
 * leaves its operands alone. The only mutating methods end in {@code InPlace}; they are meant
 * for optimizer updates and accumulation on tensors the caller owns, never inside a
 * differentiated computation.
 *
 * <p>Some results are not fresh storage, to keep the common cases free: {@link #reshape},
 * {@link #flatten}, {@link #squeeze} and {@link #unsqueeze} are views sharing this tensor's
 * storage, and {@link #cast}, {@link #expand}, {@link #sumTo} and {@link #permute} return this
 * tensor itself when there is nothing to do (same dtype, same shape, identity permutation).
 * Modify a result in place only if it cannot be such an alias, or {@link #copy} it first.
 *
 * <p>Binary ops broadcast with NumPy rules; axes may be negative (counted from the end).
 * Arithmetic, reductions, matrix products and pooling need a floating dtype (F32 or F64) and
 * throw {@link IllegalArgumentException} otherwise; binary ops need operands of one dtype (cast
 * one first). Shape errors throw {@link ShapeException} naming the op and the shapes.
 */
public final class Tensor {
    private final Shape shape;
    private final Storage storage;

    Tensor(Shape shape, Storage storage) {
        if (shape.size() != storage.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " elements but the storage holds " + storage.size());
        }
        this.shape = shape;
        this.storage = storage;
    }

    // ------------------------------------------------------------------ creation

    /** A new zero-filled tensor. */
    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    /** A new zero-filled tensor of the given dtype and shape. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(shape, Storage.allocate(dtype, shape.size()));
    }

    /** A new zero-filled tensor on {@code device}. */
    public static Tensor zeros(Device device, DType dtype, Shape shape) {
        return new Tensor(shape, Storage.allocate(device, dtype, shape.size()));
    }

    /**
     * A new tensor on {@code device} for an op to write every element of before anything reads it
     * (on the host, zeros; an accelerator skips clearing it).
     */
    static Tensor output(Device device, DType dtype, Shape shape) {
        return new Tensor(shape, Storage.allocateUninitialized(device, dtype, shape.size()));
    }

    /** A new tensor filled with ones (no dims: a scalar). */
    public static Tensor ones(DType dtype, int... dims) {
        return full(dtype, 1.0, Shape.of(dims));
    }

    /** A tensor with every element equal to {@code value}. */
    public static Tensor full(DType dtype, double value, Shape shape) {
        return full(Device.host(), dtype, value, shape);
    }

    /** A tensor on {@code device} with every element equal to {@code value}. */
    public static Tensor full(Device device, DType dtype, double value, Shape shape) {
        Tensor t = zeros(device, dtype, shape);
        // Compare bits, not values: -0.0 == 0 but must still be written (1 / -0.0 is -inf).
        if (Double.doubleToRawLongBits(value) != 0) {
            t.fillInPlace(value);
        }
        return t;
    }

    /**
     * A tensor with every element equal to {@code value} (converted to {@code dtype}; to integers
     * truncated toward zero).
     */
    public static Tensor full(DType dtype, double value, int... dims) {
        return full(dtype, value, Shape.of(dims));
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value, Shape.scalar());
    }

    /** [0, 1, ..., n-1]. */
    public static Tensor arange(DType dtype, int n) {
        Tensor t = zeros(dtype, n);
        for (int i = 0; i < n; i++) {
            t.storage.setDouble(i, i);
        }
        return t;
    }

    /** The n x n identity matrix. */
    public static Tensor eye(DType dtype, int n) {
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            t.storage.setDouble(i * n + i, 1);
        }
        return t;
    }

    /** A copy of {@code data} with the given shape (no dims: a 1-D tensor of data.length). */
    public static Tensor of(float[] data, int... dims) {
        return copyOf(data, data.length, dims);
    }

    /**
     * An F64 copy of {@code data} with the given shape (no dims: a 1-D tensor of data.length);
     * ShapeException if the shape does not hold exactly data.length elements.
     */
    public static Tensor of(double[] data, int... dims) {
        return copyOf(data, data.length, dims);
    }

    /**
     * An I64 copy of {@code data} with the given shape (no dims: 1-D); ShapeException if the sizes
     * differ.
     */
    public static Tensor of(long[] data, int... dims) {
        return copyOf(data, data.length, dims);
    }

    /**
     * An I32 copy of {@code data} with the given shape (no dims: 1-D); ShapeException if the sizes
     * differ.
     */
    public static Tensor of(int[] data, int... dims) {
        return copyOf(data, data.length, dims);
    }

    /**
     * A U8 copy of {@code data} with the given shape (no dims: 1-D); ShapeException if the sizes
     * differ.
     */
    public static Tensor of(byte[] data, int... dims) {
        return copyOf(data, data.length, dims);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(DType dtype, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        Tensor t = zeros(dtype, rows.length, cols);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new ShapeException("Tensor.of: row " + i + " has " + rows[i].length
                        + " elements, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                t.storage.setDouble(i * cols + j, rows[i][j]);
            }
        }
        return t;
    }

    /** Wraps {@code storage} (no copy) with the given shape. */
    public static Tensor wrap(Storage storage, Shape shape) {
        return new Tensor(shape, storage);
    }

    private static Tensor copyOf(Object data, int length, int[] dims) {
        Shape s = dims.length == 0 ? Shape.of(length) : Shape.of(dims);
        if (s.size() != length) {
            throw new ShapeException("Tensor.of: " + length + " values do not fill shape " + s);
        }
        Storage st = Storage.wrap(data);
        Storage copy = Storage.allocate(st.dtype(), length);
        System.arraycopy(data, 0, copy.array(), 0, length);
        return new Tensor(s, copy);
    }

    /** Independent standard normal samples. */
    public static Tensor randn(Rng rng, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage.setDouble(i, rng.nextGaussian());
        }
        return t;
    }

    /** Independent samples uniform in [low, high) (all equal to low when low == high). */
    public static Tensor uniform(Rng rng, DType dtype, double low, double high, int... dims) {
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("uniform: needs finite low <= high, got low " + low + " and high " + high);
        }
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage.setDouble(i, low + (high - low) * rng.nextDouble());
            // Rounding (to double, or to float for F32) can land exactly on high: keep the interval half-open.
            if (t.storage.getDouble(i) >= high && low < high) {
                t.storage.setDouble(i, Math.nextDown(high));
                if (t.storage.getDouble(i) >= high) {
                    t.storage.setDouble(i, Math.nextDown((float) high));
                }
            }
        }
        return t;
    }

    /** Independent samples uniform in [0, 1). */
    public static Tensor rand(Rng rng, DType dtype, int... dims) {
        return uniform(rng, dtype, 0, 1, dims);
    }

    /** One-hot rows: for an integer tensor of class indices [...], a tensor [..., numClasses]. */
    public static Tensor oneHot(Tensor indices, int numClasses, DType dtype) {
        return Indexing.oneHot(indices, numClasses, dtype);
    }

    /** Elementwise choice: {@code cond != 0 ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.select(cond, a, b);
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        return Layout.concat(axis, parts);
    }

    /** Joins tensors along a new axis at position {@code axis}. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new ShapeException("stack: needs at least one tensor");
        }
        Shape first = parts[0].shape();
        int a = axis < 0 ? axis + first.rank() + 1 : axis;
        if (a < 0 || a > first.rank()) {
            throw ShapeException.of("stack", "axis " + axis + " is out of range for stacking rank-" + first.rank()
                    + " tensors", first);
        }
        for (Tensor p : parts) {
            if (!p.shape().equals(first)) {
                throw ShapeException.of("stack", "all tensors must have the same shape", first, p.shape());
            }
            if (p.dtype() != parts[0].dtype()) {
                throw new IllegalArgumentException("stack: dtypes differ (" + parts[0].dtype() + " and " + p.dtype() + ")");
            }
        }
        Tensor[] expanded = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            expanded[i] = parts[i].unsqueeze(a);
        }
        return concat(a, expanded);
    }

    // ------------------------------------------------------------------ inspection

    /** The dimensions of this tensor. */
    public Shape shape() {
        return shape;
    }

    /** Where this tensor's elements are. */
    public Device device() {
        return storage.device();
    }

    /**
     * This tensor on {@code device}: itself if it is there already, else a copy (the one place,
     * with the readers below, where elements move between the host and a device).
     */
    public Tensor to(Device device) {
        Device here = device();
        if (here == device) {
            return this;
        }
        Storage.requireHeld(device, dtype());
        Object hostArray = here == Device.host() ? storage.buffer() : here.download(dtype(), storage.buffer(), size());
        if (device == Device.host()) {
            return new Tensor(shape, Storage.wrap(hostArray));
        }
        Storage moved = Storage.wrap(device, dtype(), device.upload(dtype(), hostArray, size()), size());
        return new Tensor(shape, moved);
    }

    /** The element type of this tensor's storage. */
    public DType dtype() {
        return storage.dtype();
    }

    /** The number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.rank();
    }

    /** The number of elements (the product of the dimensions; 1 for a scalar). */
    public int size() {
        return shape.size();
    }

    /** Size of dimension {@code axis} (negative axes count from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /**
     * The backing storage. Writing to it breaks value semantics; it is exposed for kernels,
     * optimizers and file I/O that own the tensor.
     */
    public Storage storage() {
        return storage;
    }

    /** The element at a multi-index, widened to double. */
    public double get(int... index) {
        return hostStorage().getDouble(flatIndex(index));
    }

    /** The element at a multi-index as a long (for integer tensors). */
    public long getLong(int... index) {
        return hostStorage().getLong(flatIndex(index));
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw ShapeException.of("item", "needs exactly one element", shape);
        }
        return hostStorage().getDouble(0);
    }

    /** A copy of the elements as float[] (converting if needed). */
    public float[] toFloatArray() {
        return (float[]) cast(DType.F32).copyStorageArray();
    }

    /** A copy of the elements in row-major order as double[] (converting if needed). */
    public double[] toDoubleArray() {
        return (double[]) cast(DType.F64).copyStorageArray();
    }

    /** A copy of the elements in row-major order as long[] (floating values truncated toward zero). */
    public long[] toLongArray() {
        // Integer tensors live on the host: a device tensor is copied there before the cast.
        return (long[]) to(Device.host()).cast(DType.I64).copyStorageArray();
    }

    /** A copy of the elements in row-major order as int[] (floating values truncated toward zero). */
    public int[] toIntArray() {
        return (int[]) to(Device.host()).cast(DType.I32).copyStorageArray();
    }

    private Object copyStorageArray() {
        return device().download(dtype(), storage.buffer(), size());
    }

    /** This tensor's storage if it is on the host, else a host copy of it. */
    private Storage hostStorage() {
        return device() == Device.host() ? storage : to(Device.host()).storage;
    }

    private int flatIndex(int[] index) {
        if (index.length != rank()) {
            throw new ShapeException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates for a tensor of shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index)
                        + " is out of bounds for shape " + shape);
            }
            flat = flat * d + index[i];
        }
        return flat;
    }

    // ------------------------------------------------------------------ elementwise

    /** Elementwise -x. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    /** Elementwise |x|. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    /**
     * Elementwise sign: -1, 0 or 1 (signed zeros and NaN kept, as Math.signum). Throws
     * IllegalArgumentException for a non-floating dtype.
     */
    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    /** Elementwise x * x. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, this);
    }

    /**
     * Elementwise square root (NaN for negative x). Throws IllegalArgumentException for a non-
     * floating dtype.
     */
    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    /**
     * Elementwise 1 / x (infinite at zero). Throws IllegalArgumentException for a non-floating
     * dtype.
     */
    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this);
    }

    /** Elementwise e^x. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    /**
     * Elementwise natural logarithm (-infinity at 0, NaN for negative x). Throws
     * IllegalArgumentException for a non-floating dtype.
     */
    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    /** Elementwise hyperbolic tangent. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    /**
     * Elementwise logistic function 1 / (1 + e^-x). Throws IllegalArgumentException for a non-
     * floating dtype.
     */
    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    /** Elementwise max(x, 0). Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    /** 1 where x > 0, else 0. */
    public Tensor step() {
        return Elementwise.unary(UnaryOp.STEP, this);
    }

    /** log(1 + e^x), without overflow. */
    public Tensor softplus() {
        return Elementwise.unary(UnaryOp.SOFTPLUS, this);
    }

    /** Elementwise Gauss error function. Throws IllegalArgumentException for a non-floating dtype. */
    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /** Exact GELU, x Phi(x). */
    public Tensor gelu() {
        return Elementwise.unary(UnaryOp.GELU, this);
    }

    /** Applies any unary op. */
    public Tensor map(UnaryOp op) {
        return Elementwise.unary(op, this);
    }

    /** Applies any binary op with broadcasting. */
    public Tensor zip(BinaryOp op, Tensor other) {
        return Elementwise.binary(op, this, other);
    }

    /**
     * Elementwise this + other. Broadcasts with NumPy rules (ShapeException if the shapes do not
     * broadcast); both operands need the same floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    /**
     * Elementwise this - other. Broadcasts with NumPy rules (ShapeException if the shapes do not
     * broadcast); both operands need the same floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    /**
     * Elementwise (Hadamard) product this * other. Broadcasts with NumPy rules (ShapeException if
     * the shapes do not broadcast); both operands need the same floating dtype
     * (IllegalArgumentException otherwise).
     */
    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    /**
     * Elementwise this / other (IEEE: division by zero gives infinity or NaN). Broadcasts with
     * NumPy rules (ShapeException if the shapes do not broadcast); both operands need the same
     * floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    /**
     * Elementwise this^exponent, as Math.pow. Broadcasts with NumPy rules (ShapeException if the
     * shapes do not broadcast); both operands need the same floating dtype
     * (IllegalArgumentException otherwise).
     */
    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    /**
     * Elementwise larger of the two (NaN if either is NaN). Broadcasts with NumPy rules
     * (ShapeException if the shapes do not broadcast); both operands need the same floating dtype
     * (IllegalArgumentException otherwise).
     */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAX, this, other);
    }

    /**
     * Elementwise smaller of the two (NaN if either is NaN). Broadcasts with NumPy rules
     * (ShapeException if the shapes do not broadcast); both operands need the same floating dtype
     * (IllegalArgumentException otherwise).
     */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MIN, this, other);
    }

    /**
     * Adds the constant c to every element. The scalar is converted to this tensor's dtype first;
     * needs a floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor add(double c) {
        return Elementwise.binaryScalar(BinaryOp.ADD, this, c);
    }

    /**
     * Subtracts the constant c from every element. The scalar is converted to this tensor's dtype
     * first; needs a floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor sub(double c) {
        return Elementwise.binaryScalar(BinaryOp.SUB, this, c);
    }

    /**
     * Multiplies every element by the constant c. The scalar is converted to this tensor's dtype
     * first; needs a floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor mul(double c) {
        return Elementwise.binaryScalar(BinaryOp.MUL, this, c);
    }

    /**
     * Divides every element by the constant c. The scalar is converted to this tensor's dtype
     * first; needs a floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor div(double c) {
        return Elementwise.binaryScalar(BinaryOp.DIV, this, c);
    }

    /**
     * Raises every element to a constant power, as Math.pow. The scalar is converted to this
     * tensor's dtype first; needs a floating dtype (IllegalArgumentException otherwise).
     */
    public Tensor pow(double exponent) {
        return Elementwise.binaryScalar(BinaryOp.POW, this, exponent);
    }

    /** Clamps every element into [low, high]. */
    public Tensor clamp(double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("clamp: needs low <= high, got low " + low + " and high " + high);
        }
        Elementwise.requireFloating("clamp", dtype());
        return Elementwise.binaryScalar(BinaryOp.MIN, Elementwise.binaryScalar(BinaryOp.MAX, this, low), high);
    }

    /** 1 where equal, else 0 (in this tensor's dtype). */
    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    /**
     * 1 where this != other, else 0. Broadcasts with NumPy rules; both operands need the same
     * dtype, which may be an integer one (labels, indices); the result has that dtype. NaN compares
     * unequal to everything.
     */
    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    /**
     * 1 where this < other, else 0. Broadcasts with NumPy rules; both operands need the same dtype,
     * which may be an integer one (labels, indices); the result has that dtype. NaN compares
     * unequal to everything.
     */
    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    /**
     * 1 where this <= other, else 0. Broadcasts with NumPy rules; both operands need the same
     * dtype, which may be an integer one (labels, indices); the result has that dtype. NaN compares
     * unequal to everything.
     */
    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    /**
     * 1 where this > other, else 0. Broadcasts with NumPy rules; both operands need the same dtype,
     * which may be an integer one (labels, indices); the result has that dtype. NaN compares
     * unequal to everything.
     */
    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    /**
     * 1 where this >= other, else 0. Broadcasts with NumPy rules; both operands need the same
     * dtype, which may be an integer one (labels, indices); the result has that dtype. NaN compares
     * unequal to everything.
     */
    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    /** 1 where an element equals the constant c, else 0, in this tensor's dtype. */
    public Tensor eq(double c) {
        return Elementwise.binaryScalar(BinaryOp.EQ, this, c);
    }

    /** 1 where an element is below the constant c, else 0, in this tensor's dtype. */
    public Tensor lt(double c) {
        return Elementwise.binaryScalar(BinaryOp.LT, this, c);
    }

    /** 1 where an element is above the constant c, else 0, in this tensor's dtype. */
    public Tensor gt(double c) {
        return Elementwise.binaryScalar(BinaryOp.GT, this, c);
    }

    /** This tensor converted to {@code target} (to integers: truncated toward zero); itself if already of that dtype. */
    public Tensor cast(DType target) {
        return target == dtype() ? this : Elementwise.cast(this, target);
    }

    /** An independent copy, safe to modify in place. */
    public Tensor copy() {
        return Tensor.output(device(), dtype(), shape).copyFromInPlace(this);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, as a rank-0 tensor. */
    public Tensor sum() {
        return Reductions.reduce(ReduceOp.SUM, this, allAxes(), false);
    }

    /**
     * Sum along one axis (kept with size 1 if keepDims, else removed). Needs a floating dtype
     * (IllegalArgumentException otherwise); ShapeException for an axis out of range or given twice.
     */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.reduce(ReduceOp.SUM, this, new int[] {axis}, keepDims);
    }

    /**
     * Sum along the given axes (kept with size 1 if keepDims, else removed). Needs a floating dtype
     * (IllegalArgumentException otherwise); ShapeException for an axis out of range or given twice.
     */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.reduce(ReduceOp.SUM, this, axes, keepDims);
    }

    /**
     * Mean of all elements, as a rank-0 tensor (NaN for an empty tensor). Throws
     * IllegalArgumentException for a non-floating dtype.
     */
    public Tensor mean() {
        return Reductions.mean(this, allAxes(), false);
    }

    /**
     * Mean along one axis (kept with size 1 if keepDims, else removed). Needs a floating dtype
     * (IllegalArgumentException otherwise); ShapeException for an axis out of range or given twice.
     */
    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, new int[] {axis}, keepDims);
    }

    /**
     * Mean along the given axes (kept with size 1 if keepDims, else removed). Needs a floating
     * dtype (IllegalArgumentException otherwise); ShapeException for an axis out of range or given
     * twice.
     */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /**
     * Largest element, as a rank-0 tensor. Needs a floating dtype (IllegalArgumentException
     * otherwise); ShapeException for an axis out of range or given twice, or for an empty axis (no
     * value over zero elements).
     */
    public Tensor max() {
        return Reductions.reduce(ReduceOp.MAX, this, allAxes(), false);
    }

    /**
     * Maximum along one axis (kept with size 1 if keepDims, else removed). Needs a floating dtype
     * (IllegalArgumentException otherwise); ShapeException for an axis out of range or given twice,
     * or for an empty axis (no value over zero elements).
     */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.reduce(ReduceOp.MAX, this, new int[] {axis}, keepDims);
    }

    /**
     * Maximum along the given axes (kept with size 1 if keepDims, else removed). Needs a floating
     * dtype (IllegalArgumentException otherwise); ShapeException for an axis out of range or given
     * twice, or for an empty axis (no value over zero elements).
     */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.reduce(ReduceOp.MAX, this, axes, keepDims);
    }

    /**
     * Smallest element, as a rank-0 tensor. Needs a floating dtype (IllegalArgumentException
     * otherwise); ShapeException for an axis out of range or given twice, or for an empty axis (no
     * value over zero elements).
     */
    public Tensor min() {
        return Reductions.reduce(ReduceOp.MIN, this, allAxes(), false);
    }

    /**
     * Minimum along one axis (kept with size 1 if keepDims, else removed). Needs a floating dtype
     * (IllegalArgumentException otherwise); ShapeException for an axis out of range or given twice,
     * or for an empty axis (no value over zero elements).
     */
    public Tensor min(int axis, boolean keepDims) {
        return Reductions.reduce(ReduceOp.MIN, this, new int[] {axis}, keepDims);
    }

    /**
     * Minimum along the given axes (kept with size 1 if keepDims, else removed). Needs a floating
     * dtype (IllegalArgumentException otherwise); ShapeException for an axis out of range or given
     * twice, or for an empty axis (no value over zero elements).
     */
    public Tensor min(int[] axes, boolean keepDims) {
        return Reductions.reduce(ReduceOp.MIN, this, axes, keepDims);
    }

    /**
     * Index of the first maximum along an axis, as an I64 tensor with that axis removed (the
     * predicted class of [N, C] logits along axis 1 is an [N] tensor).
     */
    public Tensor argmax(int axis) {
        return argmax(axis, false);
    }

    /** Index of the first maximum along an axis, as an I64 tensor; the axis is kept with size 1 when {@code keepDims}. */
    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.argmax(this, axis, keepDims);
    }

    /** log(sum(exp(x))) along axes, stable for large and -infinite inputs. */
    public Tensor logsumexp(int[] axes, boolean keepDims) {
        return Reductions.logsumexp(this, axes, keepDims);
    }

    /**
     * log(sum(exp(x))) along one axis, stable for large and -infinite inputs. Needs a floating
     * dtype (IllegalArgumentException otherwise); ShapeException for an axis out of range or given
     * twice.
     */
    public Tensor logsumexp(int axis, boolean keepDims) {
        return Reductions.logsumexp(this, new int[] {axis}, keepDims);
    }

    /** Population variance (divides by the count, like LayerNorm) along axes. */
    public Tensor variance(int[] axes, boolean keepDims) {
        return Reductions.variance(this, axes, keepDims);
    }

    /** exp(x - max) / sum(exp(x - max)) along an axis. */
    public Tensor softmax(int axis) {
        return Reductions.softmax(this, axis);
    }

    /** x - logsumexp(x) along an axis. */
    public Tensor logSoftmax(int axis) {
        return Reductions.logSoftmax(this, axis);
    }

    /**
     * Sum over the broadcast dimensions so the result has {@code target}, the adjoint of
     * {@link #expand}; this tensor itself when it already has that shape.
     */
    public Tensor sumTo(Shape target) {
        return Reductions.sumTo(this, target);
    }

    private int[] allAxes() {
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product over the last two axes, batch axes broadcast. */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other, false, false);
    }

    /** Matrix product with either operand's last two axes transposed first. */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatMul.matmul(this, other, transposeThis, transposeOther);
    }

    /**
     * A linear layer on the last axis, {@code activation(this W^T + bias)} for this [..., in],
     * {@code weight} [out, in] and {@code bias} [out] (null: none), with the activation
     * (null: none) one of the unary ops. Equal to the bit to
     * {@code matmul(weight, false, true).add(bias)} followed by the activation, in one GEMM and
     * one pass over the result instead of three tensors.
     */
    public Tensor linear(Tensor weight, Tensor bias, UnaryOp activation) {
        return MatMul.linear(this, weight, bias, activation);
    }

    // ------------------------------------------------------------------ layout

    /** Same elements, new shape (one dimension may be -1); shares storage with this tensor. */
    public Tensor reshape(int... dims) {
        return Layout.reshape(this, dims);
    }

    /**
     * Same elements, new shape of the same size; shares storage with this tensor. ShapeException if
     * the sizes differ.
     */
    public Tensor reshape(Shape newShape) {
        return Layout.reshape(this, newShape.dims());
    }

    /** Reshaped to 1-D; shares storage with this tensor. */
    public Tensor flatten() {
        return reshape(size());
    }

    /** Axes reordered: result axis i is this tensor's axis perm[i] (this tensor itself for the identity). */
    public Tensor permute(int... perm) {
        return Layout.permute(this, perm);
    }

    /** Swaps two axes (this tensor itself when they are the same axis). */
    public Tensor transpose(int axis0, int axis1) {
        return Layout.transpose(this, axis0, axis1);
    }

    /** Matrix transpose of a 2-D tensor. */
    public Tensor t() {
        if (rank() != 2) {
            throw ShapeException.of("t", "needs a 2-D tensor", shape);
        }
        return transpose(0, 1);
    }

    /** Elements [start, end) along an axis. */
    public Tensor slice(int axis, int start, int end) {
        return Layout.slice(this, axis, start, end);
    }

    /** Zero padding along an axis: the adjoint of {@link #slice}. */
    public Tensor pad(int axis, int before, int after) {
        return Layout.pad(this, axis, before, after);
    }

    /** Broadcast copy to a larger shape (NumPy rules); this tensor itself when the shape is already {@code target}. */
    public Tensor expand(Shape target) {
        return Layout.expand(this, target);
    }

    /** Inserts a dimension of size 1 at {@code axis}; shares storage with this tensor. */
    public Tensor unsqueeze(int axis) {
        return Layout.unsqueeze(this, axis);
    }

    /** Removes a dimension of size 1; shares storage with this tensor. */
    public Tensor squeeze(int axis) {
        return Layout.squeeze(this, axis);
    }

    // ------------------------------------------------------------------ indexing

    /** torch.gather: out[..i..] = this[.. index[..i..] ..] along {@code axis}. */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /** A copy of this tensor with src added at the positions index gives along {@code axis} (adjoint of gather). */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, axis, index, src);
    }

    /** The slices at the given positions along {@code axis}, in that order. */
    public Tensor indexSelect(int axis, Tensor indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /** A copy of this tensor with the slices of src added at the given positions (adjoint of indexSelect). */
    public Tensor indexAdd(int axis, Tensor indices, Tensor src) {
        return Indexing.indexAdd(this, axis, indices, src);
    }

    // ------------------------------------------------------------------ convolution helpers

    /** im2col: [N, C, H, W] to [N, C * kH * kW, outH * outW]. */
    public Tensor unfold(ConvGeometry geometry) {
        return Patches.unfold(this, geometry);
    }

    /** col2im, the adjoint of unfold: [N, C * kH * kW, L] to [N, C, height, width], summing overlaps. */
    public Tensor fold(int height, int width, ConvGeometry geometry) {
        return Patches.fold(this, height, width, geometry);
    }

    /** For max pooling over [N, C, H, W]: the flat index (within each H x W plane) of each window's maximum, [N, C, outH, outW] I64. */
    public Tensor maxPool2dIndices(ConvGeometry geometry) {
        return Patches.maxPoolIndices(this, geometry);
    }

    /** Max pooling of [N, C, H, W] (padding acts as -infinity). */
    public Tensor maxPool2d(ConvGeometry geometry) {
        return Patches.maxPool(this, geometry);
    }

    /** Average pooling of [N, C, H, W] (padded zeros count, as in PyTorch's default). */
    public Tensor avgPool2d(ConvGeometry geometry) {
        return Patches.avgPool(this, geometry);
    }

    // ------------------------------------------------------------------ in place (owned tensors only)

    /** this += other (same shape and dtype). */
    public Tensor addInPlace(Tensor other) {
        return axpyInPlace(1.0, other);
    }

    /** this += alpha * x (same shape and dtype). */
    public Tensor axpyInPlace(double alpha, Tensor x) {
        requireSameLayout("axpyInPlace", x);
        TypedKernels<Object> k = kernels("axpyInPlace");
        Object src = x.storage.buffer();
        Object dst = storage.buffer();
        Devices.forRange(device(), size(), (from, to) -> k.axpy(alpha, src, from, dst, from, to - from));
        return this;
    }

    /** this *= alpha. */
    public Tensor scaleInPlace(double alpha) {
        TypedKernels<Object> k = kernels("scaleInPlace");
        Object dst = storage.buffer();
        Devices.forRange(device(), size(), (from, to) -> k.scale(alpha, dst, from, to - from));
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fillInPlace(double value) {
        Elementwise.fill(this, value);
        return this;
    }

    /** Copies src's elements into this tensor (same shape and dtype). */
    public Tensor copyFromInPlace(Tensor src) {
        requireSameLayout("copyFromInPlace", src);
        Strided contiguous = Strided.of(new int[] {size()}, new int[][] {{1}, {1}}, new int[2]);
        device().copy(dtype(), contiguous, src.storage.buffer(), storage.buffer());
        return this;
    }

    /**
     * {@link #dot} as a rank-0 tensor on this tensor's device, rounded to the dtype: on an
     * accelerator it stays there, so a computation that goes on with it (an HVP's inner
     * product) does not wait for it.
     */
    public Tensor vdot(Tensor other) {
        requireSameLayout("vdot", other);
        Elementwise.requireFloating("vdot", dtype());
        Tensor out = Tensor.output(device(), dtype(), Shape.scalar());
        device().dot(dtype(), storage.buffer(), other.storage.buffer(), size(), out.storage.buffer());
        return out;
    }

    /** Sum over all elements of this * other (same shape and dtype), accumulated in double. */
    public double dot(Tensor other) {
        requireSameLayout("dot", other);
        return kernels("dot").dot(storage.buffer(), 0, other.storage.buffer(), 0, size());
    }

    private void requireSameLayout(String op, Tensor other) {
        if (!shape.equals(other.shape)) {
            throw ShapeException.of(op, "needs equal shapes", shape, other.shape);
        }
        if (dtype() != other.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + dtype() + " and " + other.dtype() + ")");
        }
        if (device() != other.device()) {
            throw new IllegalArgumentException(op + ": the tensors are on different devices (" + device().name()
                    + " and " + other.device().name() + "); move one with Tensor.to(device)");
        }
    }

    private TypedKernels<Object> kernels(String op) {
        return Elementwise.kernels(op, this);
    }

    // ------------------------------------------------------------------ comparison and printing

    /** |this - other| <= atol + rtol * |other| elementwise, shapes equal; NaNs never match. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        Storage mine = hostStorage();
        Storage theirs = other.hostStorage();
        for (int i = 0; i < size(); i++) {
            double a = mine.getDouble(i);
            double b = theirs.getDouble(i);
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && a != b) {
                return false;
            }
        }
        return true;
    }

    /** Equal dtype, shape and elements (NaN equals NaN here, as in Arrays.equals). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t) || t.dtype() != dtype() || !t.shape.equals(shape) || t.device() != device()) {
            return false;
        }
        Object mine = hostStorage().array();
        Object theirs = t.hostStorage().array();
        return switch (dtype()) {
            case F32 -> Arrays.equals((float[]) mine, (float[]) theirs);
            case F64 -> Arrays.equals((double[]) mine, (double[]) theirs);
            case I32 -> Arrays.equals((int[]) mine, (int[]) theirs);
            case I64 -> Arrays.equals((long[]) mine, (long[]) theirs);
            case U8 -> Arrays.equals((byte[]) mine, (byte[]) theirs);
        };
    }

    /** Hashes dtype and shape only (consistent with equals, cheap for large tensors). */
    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + dtype().hashCode();
    }

    /** dtype, shape and up to the first 8 elements. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype()).append(", ").append(shape)
                .append(device() == Device.host() ? "" : ", " + device().name()).append(", [");
        int shown = Math.min(size(), 8);
        Storage storage = hostStorage();
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ");
            if (dtype().isFloating()) {
                sb.append((float) storage.getDouble(i));
            } else {
                sb.append(storage.getLong(i));
            }
        }
        return sb.append(size() > shown ? ", ...])" : "])").toString();
    }
}
